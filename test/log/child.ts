/** Runs append-child.ts and kills it with SIGKILL once it has acknowledged `atLeast` appends. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const CHILD = new URL('./append-child.ts', import.meta.url).pathname;

/** Resolves with the values the child acknowledged before it died. */
export function appendUntilKilled(path: string, topic: string, atLeast: number): Promise<Set<string>> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', CHILD, path, topic], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acked = new Set<string>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    const match = /^acked (\d+)$/.exec(line);
    if (match?.[1]) acked.add(match[1]);
    if (acked.size >= atLeast) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`the child ended without being killed (${acked.size} acked)`));
    });
  });
}
