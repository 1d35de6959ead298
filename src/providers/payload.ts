/**
 * Reading untrusted provider payloads without throwing: every accessor records a `ValidationIssue` for a
 * missing or ill-typed field and returns undefined, so a normalizer can collect all problems at once.
 */
import type { ValidationCode, ValidationIssue } from '../contracts/reasons.ts';

export type JsonObject = { readonly [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type JsonResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly issue: ValidationIssue };

// One decoder for every body: without `stream` a decode keeps no state between calls.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a body as JSON; invalid UTF-8 or JSON is an `invalid_json` issue. */
export function parseJson(body: Buffer | string): JsonResult {
  try {
    const text = typeof body === 'string' ? body : utf8.decode(body);
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, issue: { path: '', code: 'invalid_json', message: (error as Error).message } };
  }
}

/** Follows a dotted path (`data.object.amount`) through nested objects. */
export function at(root: unknown, path: string): unknown {
  let current = root;
  for (const key of path.split('.')) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

export interface PayloadReader {
  readonly issues: ValidationIssue[];
  /** A required non-empty string. */
  string(path: string): string | undefined;
  /** An optional string: null when absent, null or empty; an issue when of another type. */
  optionalString(path: string): string | null;
  /** A required non-negative safe integer (JSON numbers beyond 2^53 are out of range, not rounded). */
  amount(path: string): number | undefined;
  /** A required object. */
  object(path: string): JsonObject | undefined;
  /** Records an issue found by the caller. */
  fail(path: string, code: ValidationCode, message: string): undefined;
}

export function createPayloadReader(root: unknown, prefix = ''): PayloadReader {
  const issues: ValidationIssue[] = [];
  const full = (path: string) => (prefix ? `${prefix}.${path}` : path);
  const fail = (path: string, code: ValidationCode, message: string): undefined => {
    issues.push({ path: full(path), code, message });
    return undefined;
  };
  return {
    issues,
    fail,
    string(path) {
      const value = at(root, path);
      if (value === undefined || value === null || value === '')
        return fail(path, 'missing_field', `${full(path)} is required`);
      if (typeof value !== 'string') return fail(path, 'invalid_type', `${full(path)} must be a string`);
      return value;
    },
    optionalString(path) {
      const value = at(root, path);
      if (value === undefined || value === null || value === '') return null;
      if (typeof value !== 'string') {
        fail(path, 'invalid_type', `${full(path)} must be a string`);
        return null;
      }
      return value;
    },
    amount(path) {
      const value = at(root, path);
      if (value === undefined || value === null) return fail(path, 'missing_field', `${full(path)} is required`);
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        return fail(path, 'invalid_amount', `${full(path)} must be an integer amount in minor units`);
      }
      if (value < 0 || !Number.isSafeInteger(value)) {
        return fail(path, 'amount_out_of_range', `${full(path)} must be between 0 and 2^53-1`);
      }
      return value;
    },
    object(path) {
      const value = at(root, path);
      if (value === undefined || value === null) return fail(path, 'missing_field', `${full(path)} is required`);
      if (!isObject(value)) return fail(path, 'invalid_type', `${full(path)} must be an object`);
      return value;
    },
  };
}

/**
 * Whether the day exists in its month and the hour is 00-23: Date.parse rolls 30 February over into March
 * and 24:00 into the next day, a wrong time rather than an error.
 */
function existingDayAndHour([, year, month, day, hour]: RegExpExecArray): boolean {
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  return (
    Number(month) >= 1 && Number(month) <= 12 && Number(day) >= 1 && Number(day) <= daysInMonth && Number(hour) <= 23
  );
}

/**
 * A provider's text timestamp (RFC 3339, any fraction digits, any offset) as ISO 8601 UTC, or undefined.
 * The offset is required: without one Date.parse reads the time in the host's time zone.
 */
export function isoFromText(value: string): string | undefined {
  const fields = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):\d{2}/.exec(value);
  if (!fields || !/(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) || !existingDayAndHour(fields)) return undefined;
  const trimmed = value.replace(/(\.\d{3})\d+/, '$1');
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Unix seconds as ISO 8601 UTC, or undefined when not a plausible timestamp. */
export function isoFromUnixSeconds(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 253402300799) return undefined;
  return new Date(value * 1000).toISOString();
}
