/**
 * When no signature matches, the commonest cause is a body that was changed on its way in (DESIGN.md:
 * "signature checks that run after a JSON body parser"). Trying the few usual alterations in reverse
 * turns "no match" into a precise hint. Only run after a failure, over bodies already size-limited.
 */

interface Alteration {
  readonly undo: (text: string) => string | undefined;
  readonly hint: string;
}

/** Stripe sends JSON pretty-printed with two spaces; a body parser's re-serialization is compact. */
function prettyJson(text: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return undefined;
  }
}

const ALTERATIONS: readonly Alteration[] = [
  {
    undo: (text) => (text.endsWith('\n') ? text.slice(0, -1) : undefined),
    hint: 'a trailing newline was added to the body on its way in: verify the raw bytes as received',
  },
  {
    undo: (text) => `${text}\n`,
    hint: 'a trailing newline was removed from the body on its way in: verify the raw bytes as received',
  },
  {
    undo: (text) => (text.includes('\r\n') ? text.replaceAll('\r\n', '\n') : undefined),
    hint: 'line endings were changed to CRLF on the way in: verify the raw bytes as received',
  },
  {
    undo: prettyJson,
    hint: 'the body was re-serialized (it matches once pretty-printed as Stripe sends it): verify the raw bytes, before any JSON body parser',
  },
];

/** A hint naming the first alteration (the most specific first) under which `matches` passes, or undefined. */
export function alterationHint(body: Buffer, matches: (body: string) => boolean): string | undefined {
  const text = body.toString('utf8');
  for (const { undo, hint } of ALTERATIONS) {
    const original = undo(text);
    if (original !== undefined && original !== text && matches(original)) return hint;
  }
  return undefined;
}
