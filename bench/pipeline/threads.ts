/**
 * CPU time per thread of this process, from /proc/self/task/<tid>/stat (Linux): what each stage costs per
 * stored event whatever the machine's load, which requests/s on two shared cores do not show. Threads are
 * grouped by name (`comm`): MainThread, the named worker threads, V8's GC and compiler helpers (V8Worker).
 * The kernel counts in clock ticks (10 ms), so a run must be long enough for the shares to mean anything.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Milliseconds of CPU (user + system) by thread name. */
export type ThreadCpu = Record<string, number>;

const TICK_MS = 10;

function threadTicks(tid: string): { readonly name: string; readonly ticks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // The name is between the first '(' and the last ')', and may itself hold spaces or parentheses.
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    // After the name: state is field 3 of stat(5), so utime (14) and stime (15) are at 11 and 12 here.
    return { name: stat.slice(open + 1, close), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // the thread ended between the listing and the read
  }
}

/** Every live thread's CPU so far, keyed by thread id. */
export function sampleThreads(): Map<string, { readonly name: string; readonly ticks: number }> {
  const sample = new Map<string, { readonly name: string; readonly ticks: number }>();
  let tids: string[] = [];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return sample; // not Linux: nothing to report
  }
  for (const tid of tids) {
    const thread = threadTicks(tid);
    if (thread) sample.set(tid, thread);
  }
  return sample;
}

/** CPU spent since `before`, by thread name (threads started since count from zero). */
export function cpuSince(before: ReturnType<typeof sampleThreads>): ThreadCpu {
  const spent: ThreadCpu = {};
  for (const [tid, { name, ticks }] of sampleThreads()) {
    const delta = (ticks - (before.get(tid)?.ticks ?? 0)) * TICK_MS;
    if (delta > 0) spent[name] = (spent[name] ?? 0) + delta;
  }
  return spent;
}
