/**
 * Unwrapping `{ live, notificationItems: [ { NotificationRequestItem } ] }` without throwing. verify,
 * route and normalize all start here, so they agree on what a well-formed request is.
 */
import type { ValidationIssue } from '../../contracts/reasons.ts';
import { isObject, type JsonObject, parseJson } from '../payload.ts';

export interface EnvelopeItem {
  /** Dotted path of the item in the request, for messages and validation issues. */
  readonly path: string;
  readonly item: JsonObject;
}

export type Envelope =
  | { readonly ok: true; readonly root: JsonObject; readonly items: readonly EnvelopeItem[] }
  | { readonly ok: false; readonly issue: ValidationIssue };

function issue(path: string, code: ValidationIssue['code'], message: string): Envelope {
  return { ok: false, issue: { path, code, message } };
}

export function itemPath(index: number): string {
  return `notificationItems.${index}.NotificationRequestItem`;
}

// verify and route both read the envelope of the same body: it is parsed once. Bodies are never changed
// after they are received, nor are the parsed items (signNotification changes only those it parsed from
// its own text), and the entry goes with its body.
const envelopes = new WeakMap<Buffer, Envelope>();

/** The request's items, or the first structural problem found. */
export function readEnvelope(body: Buffer | string): Envelope {
  if (typeof body === 'string') return parseEnvelope(body);
  let envelope = envelopes.get(body);
  if (!envelope) {
    envelope = parseEnvelope(body);
    envelopes.set(body, envelope);
  }
  return envelope;
}

function parseEnvelope(body: Buffer | string): Envelope {
  const parsed = parseJson(body);
  if (!parsed.ok) return { ok: false, issue: parsed.issue };
  const root = parsed.value;
  if (!isObject(root)) return issue('', 'invalid_type', 'the body must be a JSON object');
  const list = root.notificationItems;
  if (list === undefined || list === null)
    return issue('notificationItems', 'missing_field', 'notificationItems is required');
  if (!Array.isArray(list)) return issue('notificationItems', 'invalid_type', 'notificationItems must be an array');
  if (list.length === 0) return issue('notificationItems', 'missing_field', 'notificationItems is empty');
  const items: EnvelopeItem[] = [];
  for (const [index, wrapper] of list.entries()) {
    const path = itemPath(index);
    const item: unknown = isObject(wrapper) ? wrapper.NotificationRequestItem : undefined;
    if (!isObject(item)) return issue(path, 'invalid_type', `${path} must be an object`);
    items.push({ path, item });
  }
  return { ok: true, root, items };
}
