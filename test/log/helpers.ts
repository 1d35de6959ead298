/** Helpers for the event-log tests: unique names, and reading a consumer until enough records arrived. */
import { randomUUID } from 'node:crypto';
import type { Consumer, EventLog, LogRecord } from '../../src/log/port.ts';

/** A fresh topic or group name, so tests never see each other's records (on a shared Kafka, too). */
export function unique(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** Polls until `count` records arrived or `timeoutMs` passed; returns what arrived. */
export async function drain(consumer: Consumer, count: number, timeoutMs = 5000): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  while (records.length < count && Date.now() < deadline) {
    records.push(...(await consumer.poll({ maxWaitMs: Math.min(200, deadline - Date.now()) })));
  }
  return records;
}

export function values(records: readonly LogRecord[]): string[] {
  return records.map((record) => record.value.toString());
}

export function byKey(records: readonly LogRecord[]): Map<string, LogRecord[]> {
  const result = new Map<string, LogRecord[]>();
  for (const record of records) result.set(record.key, [...(result.get(record.key) ?? []), record]);
  return result;
}

/** One storage for one test; `open` again after `close` is a process restart on the same data. */
export interface LogHarness {
  /** The partition count of every topic the harness's logs create. */
  readonly partitions: number;
  /** Opens the log. The adapter must wake consumers on append without a short poll interval. */
  open(): Promise<EventLog>;
  cleanup(): Promise<void>;
}

export type HarnessFactory = () => Promise<LogHarness>;

/** Opens a harness and its first log, closing and cleaning both after the test. */
export async function opened(setup: HarnessFactory, t: { after(fn: () => Promise<void>): void }) {
  const harness = await setup();
  const logs: EventLog[] = [];
  const open = async () => {
    const log = await harness.open();
    logs.push(log);
    return log;
  };
  t.after(async () => {
    for (const log of logs) await log.close();
    await harness.cleanup();
  });
  return { harness, log: await open(), open };
}
