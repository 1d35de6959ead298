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

async function worker(): Promise<never> {
  for (;;) {
    const n = next++;
    await log.append(topic as string, [{ key: `pi_${n % 31}`, value: Buffer.from(String(n)) }]);
    writeSync(1, `acked ${n}\n`);
  }
}

await Promise.all(Array.from({ length: 64 }, worker));
