/** Checks shared by every adapter, so both reject the same bad input with the same error. */
import { PaypipeError } from '../contracts/errors.ts';
import type { AppendRecord, EventLogOptions, RecordPosition } from './port.ts';

/** Kafka's rule for topic names, so a name valid here is valid on a broker. */
const TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;
export const DEFAULT_PARTITIONS = 8;
const MAX_PARTITIONS = 1024;

export function checkTopic(topic: unknown): string {
  if (typeof topic !== 'string' || !TOPIC.test(topic) || topic === '.' || topic === '..') {
    throw new PaypipeError('PAYPIPE_ERR_CONFIG', `invalid topic name ${JSON.stringify(topic)}`);
  }
  return topic;
}

export function checkRecords(topic: string, records: readonly AppendRecord[]): void {
  if (!Array.isArray(records)) throw new PaypipeError('PAYPIPE_ERR_CONFIG', `append to ${topic}: records not an array`);
  for (const [index, record] of records.entries()) {
    const problem =
      typeof record?.key !== 'string'
        ? 'key is not a string'
        : !Buffer.isBuffer(record.value)
          ? 'value is not a Buffer'
          : record.headers !== undefined && !stringRecord(record.headers)
            ? 'headers are not strings'
            : null;
    if (problem) throw new PaypipeError('PAYPIPE_ERR_CONFIG', `append to ${topic}: record ${index}: ${problem}`);
  }
}

function stringRecord(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.values(value).every((item) => typeof item === 'string');
}

/** A function giving the partition count of a newly created topic, from the options. */
export function partitionCounts(options: EventLogOptions): (topic: string) => number {
  const setting = options.partitions ?? DEFAULT_PARTITIONS;
  const all = typeof setting === 'number' ? [setting] : Object.values(setting);
  for (const count of all) {
    if (!Number.isInteger(count) || count < 1 || count > MAX_PARTITIONS) {
      throw new PaypipeError('PAYPIPE_ERR_CONFIG', `partitions: expected a whole number from 1 to ${MAX_PARTITIONS}`);
    }
  }
  if (typeof setting === 'number') return () => setting;
  return (topic) => setting[topic] ?? setting['*'] ?? DEFAULT_PARTITIONS;
}

export function checkGroup(group: unknown): string {
  if (typeof group !== 'string' || group === '' || group.length > 249) {
    throw new PaypipeError('PAYPIPE_ERR_CONFIG', `invalid consumer group ${JSON.stringify(group)}`);
  }
  return group;
}

/**
 * What a group commits for processed records: per partition, the highest offset given plus one (Kafka's
 * committed offset is the next one to read).
 */
export function nextOffsets(records: readonly RecordPosition[]): { topic: string; partition: number; next: bigint }[] {
  if (!Array.isArray(records)) throw new PaypipeError('PAYPIPE_ERR_CONFIG', 'commit: records not an array');
  const result = new Map<string, { topic: string; partition: number; next: bigint }>();
  for (const { topic, partition, offset } of records) {
    if (typeof offset !== 'bigint' || offset < 0n || !Number.isInteger(partition) || partition < 0) {
      throw new PaypipeError('PAYPIPE_ERR_CONFIG', `commit: invalid position ${String(topic)}/${partition}@${offset}`);
    }
    const id = `${topic}\u0000${partition}`;
    const current = result.get(id);
    if (current === undefined || current.next <= offset)
      result.set(id, { topic: checkTopic(topic), partition, next: offset + 1n });
  }
  return [...result.values()];
}
