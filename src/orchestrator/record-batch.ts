/**
 * The records of one message to the runner thread: every record's bytes copied into one buffer that is
 * transferred, not cloned, and the rest as plain data. Cloning each record's value instead would copy the
 * whole ArrayBuffer behind it: a small Buffer is a slice of Node's shared 64 KiB pool, and a clone takes
 * the pool along.
 */
import type { WorkflowRecord } from './record-workflows.ts';

/** A record less its value, which is `bytes[start, end)` of its message. */
export type PackedRecord = Omit<WorkflowRecord, 'value'> & { readonly start: number; readonly end: number };

export function packRecords(records: readonly WorkflowRecord[]): {
  packed: PackedRecord[];
  bytes: Uint8Array<ArrayBuffer>;
} {
  let size = 0;
  for (const record of records) size += record.value.byteLength;
  const bytes = new Uint8Array(size);
  let at = 0;
  const packed = records.map(({ topic, partition, offset, timestamp, value }) => {
    bytes.set(value, at);
    at += value.byteLength;
    return { topic, partition, offset, timestamp, start: at - value.byteLength, end: at };
  });
  return { packed, bytes };
}

/** A packed record again, its value a view of the message's bytes. */
export function unpackRecord(record: PackedRecord, bytes: Uint8Array): WorkflowRecord {
  const { topic, partition, offset, timestamp, start, end } = record;
  return {
    topic,
    partition,
    offset,
    timestamp,
    value: Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start),
  };
}
