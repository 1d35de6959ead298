/**
 * The CPU time a benchmark server has spent, per thread: read by the server itself (`GET /bench/cpu` on
 * every target) before and after a measured load, so the harness can divide by the requests answered.
 * CPU per request moves far less with the shared machine's load than requests/s do, and the threads tell
 * where it goes: `main` (the event loop), `log` (the log's writer thread; `WorkerThread` where threads are unnamed), `V8Worker` (V8's compiler and GC
 * helpers; a server still warming up spends most of it compiling).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Where every benchmark server answers with `readThreadCpu()`. */
export const CPU_PATH = '/bench/cpu';

/** CPU seconds by thread name (the main thread as `main`), summed over threads of the same name. */
export type ThreadCpu = Readonly<Record<string, number>>;

/** Linux's clock ticks per second (`getconf CLK_TCK`), which /proc/<pid>/task/<tid>/stat counts in. */
const TICKS_PER_SECOND = 100;

/** This process's CPU by thread from /proc; where there is none, the whole process as `main`. */
export function readThreadCpu(): ThreadCpu {
  const cpu: Record<string, number> = {};
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    const usage = process.cpuUsage();
    return { main: (usage.user + usage.system) / 1e6 };
  }
  for (const tid of tids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    // The name is in parentheses and may hold spaces; utime and stime are fields 14 and 15.
    const close = stat.lastIndexOf(')');
    const name = Number(tid) === process.pid ? 'main' : stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    cpu[name] = (cpu[name] ?? 0) + ticks / TICKS_PER_SECOND;
  }
  return cpu;
}

/** Microseconds of CPU per request between two readings, per thread name and in total. */
export function cpuPerRequest(before: ThreadCpu, after: ThreadCpu, requests: number): Record<string, number> {
  const perRequest: Record<string, number> = {};
  let total = 0;
  for (const [name, seconds] of Object.entries(after)) {
    const spent = seconds - (before[name] ?? 0);
    total += spent;
    if (spent > 0) perRequest[name] = Math.round((spent * 1e6) / Math.max(1, requests));
  }
  return { total: Math.round((total * 1e6) / Math.max(1, requests)), ...perRequest };
}
