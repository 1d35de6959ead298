/**
 * A child process for the crash tests: appends records to the SQLite log at argv[2], 64 at a time, forever,
 * printing "acked N" (synchronously) as each append resolves, until the parent kills it.
 */
import { writeSync } from 'node:fs';
import { createSqliteEventLog } from '../../src/log/sqlite.ts';

const [path, topic] = process.argv.slice(2);
if (!path || !topic) throw new Error('usage: append-child.ts PATH TOPIC');
const log = createSqliteEventLog(path, { partitions: 4 });
let next = 0;

/**
 * Written synchronously, so that an ack is out before the next append starts; stdout is a non-blocking
 * pipe, which answers EAGAIN while a busy parent has not read it yet: try again until it takes the line.
 */
function ack(n: number): void {
  const line = Buffer.from(`acked ${n}\n`);
  for (let written = 0; written < line.length; ) {
    try {
      written += writeSync(1, line, written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

async function worker(): Promise<never> {
  for (;;) {
    const n = next++;
    await log.append(topic as string, [{ key: `pi_${n % 31}`, value: Buffer.from(String(n)) }]);
    ack(n);
  }
}

await Promise.all(Array.from({ length: 64 }, worker));
