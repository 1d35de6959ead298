/**
 * Every measured party runs in its own process, so the load generator and the server under test never
 * share an event loop (they do share the machine's two cores, like in production on a small host).
 * A child speaks JSON lines on stdout: a server prints one line when it listens; a load generator prints
 * its result as its last line. `BENCH_PROFILE=DIR` makes server children write a V8 CPU profile there.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface Server<T> {
  /** What the child printed once it was ready (its port, say). */
  readonly ready: T;
  /**
   * SIGTERM, then waits for the child to exit (a profiled child writes its profile on the way out);
   * resolves with the JSON line the child printed last on its way out, if any (its own statistics).
   * Idempotent.
   */
  stop(): Promise<unknown>;
}

function node(script: string, args: readonly string[], server: boolean): ChildProcess {
  const dir = process.env.BENCH_PROFILE;
  // A server under test runs with bin/paypipe's V8 flags, as `paypipe up` does.
  const flags = server ? ['--no-parallel-scavenge', ...(dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [])] : [];
  const url = new URL(script, import.meta.url);
  return spawn(process.execPath, ['--disable-warning=ExperimentalWarning', ...flags, url.pathname, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

/** Starts a server child (`script` relative to bench/shared/) and waits for its first JSON line. */
export async function startServer<T>(script: string, args: readonly string[]): Promise<Server<T>> {
  const child = node(script, args, true);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const exited = once(child, 'exit');
  const [line] = (await Promise.race([once(lines, 'line'), exited.then(() => [undefined])])) as [string?];
  if (line === undefined) throw new Error(`${script} exited before it was ready`);
  // Later lines are kept (the last may be the child's statistics) and never left to fill the pipe.
  let last: string | undefined;
  lines.on('line', (text) => {
    last = text;
  });
  let stopped: Promise<unknown> | undefined;
  const stop = async (): Promise<unknown> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    try {
      return last === undefined ? undefined : JSON.parse(last);
    } catch {
      return undefined;
    }
  };
  return {
    ready: JSON.parse(line) as T,
    stop() {
      stopped ??= stop();
      return stopped;
    },
  };
}

/** Runs a load-generator child with `input` on stdin; resolves with the JSON of its last stdout line. */
export async function runChild<T>(script: string, input: unknown): Promise<T> {
  const child = node(script, [], false);
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stdin?.end(JSON.stringify(input));
  const [code] = (await once(child, 'exit')) as [number | null];
  const last = output.trim().split('\n').at(-1);
  if (code !== 0 || !last) throw new Error(`${script} failed (exit ${code})`);
  return JSON.parse(last) as T;
}

/** Reads all of stdin as JSON (the input a parent gave `runChild`). */
export async function readInput<T>(): Promise<T> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return JSON.parse(text) as T;
}

/** Resolves on SIGTERM or SIGINT, after which a server child closes and exits. */
export function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
}
