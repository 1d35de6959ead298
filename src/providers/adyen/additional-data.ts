/**
 * `additionalData` is a flat map whose keys contain dots (`modification.action`, `metadata.orderId`), so
 * it is read by key, not by dotted path.
 */
import { isObject, type JsonObject, type PayloadReader } from '../payload.ts';

export interface AdditionalData {
  /** Whether the key holds anything but null. */
  has(key: string): boolean;
  /** The string at that key; null when absent or empty; an `invalid_type` issue (once) when not a string. */
  string(key: string): string | null;
  /** Every string entry, in payload order. */
  entries(): [string, string][];
}

export function readAdditionalData(item: JsonObject, read: PayloadReader): AdditionalData {
  const raw = item.additionalData;
  if (raw !== undefined && raw !== null && !isObject(raw)) {
    read.fail('additionalData', 'invalid_type', 'additionalData must be an object');
  }
  const data: JsonObject = isObject(raw) ? raw : {};
  const value = (key: string) => (Object.hasOwn(data, key) ? data[key] : undefined);
  const reported = new Set<string>();
  return {
    has: (key) => value(key) !== undefined && value(key) !== null,
    string(key) {
      const found = value(key);
      if (found === undefined || found === null || found === '') return null;
      if (typeof found !== 'string') {
        if (!reported.has(key))
          read.fail(`additionalData.${key}`, 'invalid_type', `additionalData.${key} must be a string`);
        reported.add(key);
        return null;
      }
      return found;
    },
    entries() {
      return Object.entries(data).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
    },
  };
}
