/**
 * `additionalData` is a flat map whose keys contain dots (`modification.action`, `metadata.orderId`), so
 * it is read by key, not by dotted path.
 */
import { isObject, type JsonObject, type PayloadReader } from '../payload.ts';

export interface AdditionalData {
  /** The string at that key; null when absent or empty; an `invalid_type` issue when not a string. */
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
  return {
    string(key) {
      const value = Object.hasOwn(data, key) ? data[key] : undefined;
      if (value === undefined || value === null || value === '') return null;
      if (typeof value !== 'string') {
        read.fail(`additionalData.${key}`, 'invalid_type', `additionalData.${key} must be a string`);
        return null;
      }
      return value;
    },
    entries() {
      return Object.entries(data).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
    },
  };
}
