/**
 * A fast reader for the plain XML Braintree sends: a declaration, nested elements with quoted attributes,
 * text with the five predefined entities. fast-xml-parser's validate + parse costs hundreds of microseconds
 * per ~1 KB notification, most of the gateway's time on a Braintree request; this reader costs a few.
 *
 * It gives exactly what fast-xml-parser gives with the envelope's options (attributes dropped, leaves as
 * trimmed text, a repeated element as an array), or undefined for anything outside that subset: comments,
 * CDATA, a DTD, processing instructions after the declaration, character references, mixed content,
 * carriage returns (which XML rewrites as newlines), unusual names, deep nesting, and every malformed
 * document. The caller then takes the general parser,
 * which also says what is wrong, so a document this reader accepts is one that parser accepts identically
 * (test/providers/braintree/xml.test.ts checks both on generated and mutated documents).
 */
import type { JsonObject } from '../payload.ts';

/** One element of the document: its name and value in fast-xml-parser's shape. */
export interface XmlElement {
  readonly name: string;
  readonly value: JsonObject | string;
}

// No "?" in its values: the declaration ends at the first "?>", quoted or not.
const DECLARATION = /<\?xml(?:\s+[A-Za-z_][\w.-]*\s*=\s*(?:"[^"<&?]*"|'[^'<&?]*'))*\s*\?>/y;
/** A whole tag: 1 the slash of a closing tag, 2 the name, 3 the attributes, 4 the slash of an empty tag. */
const TAG = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*(?:"[^"<&]*"|'[^'<&]*'))*)\s*(\/?)>/y;
const ATTRIBUTE_NAME = /([A-Za-z_][\w.-]*)\s*=/g;
const ENTITY = /&(?:(lt|gt|amp|quot|apos);)?/g;
const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
/** Names fast-xml-parser refuses or renames (prototype pollution guards): left to it. */
const RESERVED = new Set([
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);
/** Well below fast-xml-parser's own limit of 100 nested tags. */
const MAX_DEPTH = 64;

interface Frame {
  readonly name: string;
  readonly children: Record<string, unknown>;
  hasChildren: boolean;
  text: string;
}

function matchAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

/** XML refuses an attribute given twice; with attributes ignored, only that needs checking. */
function repeatsAttribute(attributes: string): boolean {
  const names = [...attributes.matchAll(ATTRIBUTE_NAME)].map((match) => match[1]);
  return new Set(names).size !== names.length;
}

/** Text with its entities decoded, or undefined for any `&` that is not one of the five. */
function decodeText(raw: string): string | undefined {
  if (!raw.includes('&')) return raw;
  let unknown = false;
  const text = raw.replace(ENTITY, (_match, name: string | undefined) => {
    if (name === undefined) unknown = true;
    return name === undefined ? '' : (ENTITIES[name] ?? '');
  });
  return unknown ? undefined : text;
}

function attach(parent: Frame, name: string, value: unknown): void {
  parent.hasChildren = true;
  if (!Object.hasOwn(parent.children, name)) parent.children[name] = value;
  else {
    const existing = parent.children[name];
    if (Array.isArray(existing)) existing.push(value);
    else parent.children[name] = [existing, value];
  }
}

/** The element's value once closed, or undefined for mixed content or undecodable text. */
function closedValue(frame: Frame): JsonObject | string | undefined {
  const text = frame.text.trim();
  if (frame.hasChildren) return text === '' ? frame.children : undefined;
  return decodeText(text);
}

/** The document's root element, or undefined when the document is outside the subset (see above). */
export function readSimpleXml(xml: string): XmlElement | undefined {
  if (xml.includes('\r')) return undefined;
  let at = matchAt(DECLARATION, xml, 0)?.[0].length ?? 0;
  // The document node: holds the root element, and whitespace only around it.
  const documentNode: Frame = { name: '', children: {}, hasChildren: false, text: '' };
  const stack: Frame[] = [documentNode];
  let root: XmlElement | undefined;
  while (at < xml.length) {
    const open = xml.indexOf('<', at);
    let top = stack.at(-1) as Frame;
    top.text += open < 0 ? xml.slice(at) : xml.slice(at, open);
    if (open < 0) break;
    const tag = matchAt(TAG, xml, open);
    if (!tag) return undefined;
    const [whole, closing, name = '', attributes = '', empty] = tag;
    if (RESERVED.has(name)) return undefined;
    at = open + whole.length;
    if (closing) {
      // A closing tag is exactly `</name>`.
      if (name !== top.name || whole.length !== name.length + 3) return undefined;
      const value = closedValue(top);
      stack.pop();
      top = stack.at(-1) as Frame;
      if (value === undefined) return undefined;
      if (top === documentNode) root = { name, value };
      attach(top, name, value);
      continue;
    }
    if (attributes.length > 0 && repeatsAttribute(attributes)) return undefined;
    if ((top === documentNode && documentNode.hasChildren) || stack.length > MAX_DEPTH) return undefined;
    if (!empty) stack.push({ name, children: {}, hasChildren: false, text: '' });
    else {
      if (top === documentNode) root = { name, value: '' };
      attach(top, name, '');
    }
  }
  if (stack.length !== 1 || documentNode.text.trim() !== '') return undefined;
  return root;
}
