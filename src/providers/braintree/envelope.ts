/**
 * The Braintree envelope: an `application/x-www-form-urlencoded` body with `bt_signature` and `bt_payload`,
 * the payload being base64 of the notification XML. verify, route and normalize all read the body through
 * these functions, so they can never disagree about which payload a request carries.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ValidationCode, ValidationIssue } from '../../contracts/reasons.ts';
import { isObject, type JsonObject } from '../payload.ts';
import { readSimpleXml } from './xml.ts';

export interface WebhookForm {
  readonly signature: string | undefined;
  readonly payload: string | undefined;
  /** A field given twice: which one counts would depend on the parser, so such a body is refused. */
  readonly duplicated: boolean;
}

// verify and route both read the form of the same body: it is decoded once. Bodies are never changed
// after they are received, and the entry goes with its body.
const forms = new WeakMap<Buffer, WebhookForm>();

/** Decodes the form as browsers and body parsers do: `+` is a space, `%2B` a literal plus. */
export function readForm(body: Buffer): WebhookForm {
  const known = forms.get(body);
  if (known) return known;
  const params = new URLSearchParams(body.toString('utf8'));
  const signatures = params.getAll('bt_signature');
  const payloads = params.getAll('bt_payload');
  const form = {
    signature: signatures[0],
    payload: payloads[0],
    duplicated: signatures.length > 1 || payloads.length > 1,
  };
  forms.set(body, form);
  return form;
}

/** The characters the SDK allows in a payload: base64 plus the newlines Braintree wraps it with. */
const PAYLOAD_CHARACTERS = /^[A-Za-z0-9+/=\n]+$/;

export function isWellFormedPayload(payload: string): boolean {
  return PAYLOAD_CHARACTERS.test(payload);
}

// Every leaf stays a string: "250.0" must not become the number 250, nor an id "0012" the number 12.
// xml.ts reads the same tree faster for the plain XML Braintree sends, and leaves the rest to this parser.
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true });
const utf8 = new TextDecoder('utf-8', { fatal: true });

export type NotificationResult =
  | { readonly ok: true; readonly notification: JsonObject }
  | { readonly ok: false; readonly issue: ValidationIssue };

function fail(path: string, message: string, code: ValidationCode = 'invalid_value'): NotificationResult {
  return { ok: false, issue: { path, code, message } };
}

/** The `<notification>` element of a base64 payload, every failure a validation issue. */
export function decodePayload(payload: string): NotificationResult {
  if (!isWellFormedPayload(payload)) return fail('bt_payload', 'bt_payload is not base64');
  let xml: string;
  try {
    xml = utf8.decode(Buffer.from(payload, 'base64'));
  } catch {
    return fail('bt_payload', 'bt_payload does not decode to UTF-8 text');
  }
  // Braintree never sends a DTD; refusing one rules out entity-expansion attacks.
  if (/<!(?:DOCTYPE|ENTITY)/i.test(xml)) return fail('bt_payload', 'the notification XML must not contain a DTD');
  const plain = readSimpleXml(xml);
  if (plain?.name === 'notification' && isObject(plain.value)) return { ok: true, notification: plain.value };
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return fail('bt_payload', `the notification is not well-formed XML: ${valid.err.msg}`);
  let root: unknown;
  try {
    root = parser.parse(xml);
  } catch (error) {
    return fail('bt_payload', `the notification XML cannot be parsed: ${(error as Error).message}`);
  }
  const notification = isObject(root) ? root.notification : undefined;
  if (!isObject(notification)) return fail('notification', 'the XML has no <notification> element', 'missing_field');
  return { ok: true, notification };
}

/** The notification carried by a request body, or the first reason it carries none. */
export function readNotification(body: Buffer): NotificationResult {
  const form = readForm(body);
  if (form.duplicated) return fail('bt_payload', 'the form carries bt_signature or bt_payload more than once');
  if (form.payload === undefined || form.payload === '')
    return fail('bt_payload', 'the form has no bt_payload', 'missing_field');
  return decodePayload(form.payload);
}

/** The first element of a repeated XML element (the parser gives an array only when it repeats). */
export function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}
