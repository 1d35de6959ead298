import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { braintreeFixtures } from '../../../src/providers/braintree/fixtures.ts';
import { readSimpleXml, type XmlElement } from '../../../src/providers/braintree/xml.ts';

// The general parser with the envelope's options: what the fast reader must agree with.
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true });

/** The root element as validate + parse see it, or 'invalid'. */
function reference(xml: string): XmlElement | 'invalid' | 'several roots' {
  if (XMLValidator.validate(xml) !== true) return 'invalid';
  let root: Record<string, unknown>;
  try {
    root = parser.parse(xml);
  } catch {
    return 'invalid';
  }
  const names = Object.keys(root).filter((name) => name !== '?xml');
  if (names.length !== 1) return 'several roots';
  const name = names[0] as string;
  return { name, value: root[name] as XmlElement['value'] };
}

/** Whenever the fast reader answers, the general parser accepts the document and reads the same tree. */
function agrees(xml: string): boolean {
  const fast = readSimpleXml(xml);
  if (fast === undefined) return true;
  assert.deepEqual(reference(xml), fast, xml);
  return true;
}

const NAMES = ['a', 'b', 'id', 'amount', 'custom-fields', 'e.f', '_g', 'toString', 'x:y', '__proto__'];
const TEXT = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom('&amp;', '&lt;b&gt;', '&quot;&apos;', '&#65;', '&nbsp;', ' 250.0 ', '\u00a0x\u00a0', 'a\r\nb', '&'),
);
const ATTRIBUTES = fc.array(fc.constantFrom(' type="array"', ' nil="true"', " t='x'", ' a="1" a="2"', ' b=c'), {
  maxLength: 2,
});
const SPACE = fc.constantFrom('', '', '\n', '  ', '\n  ');

const { element } = fc.letrec<{ element: string }>((tie) => ({
  element: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .tuple(fc.constantFrom(...NAMES), ATTRIBUTES, TEXT, fc.boolean())
      .map(([name, attributes, text, selfClosing]) =>
        selfClosing && text === ''
          ? `<${name}${attributes.join('')}/>`
          : `<${name}${attributes.join('')}>${text}</${name}>`,
      ),
    fc
      .tuple(fc.constantFrom(...NAMES), ATTRIBUTES, fc.array(fc.tuple(SPACE, tie('element')), { maxLength: 4 }), SPACE)
      .map(
        ([name, attributes, children, end]) =>
          `<${name}${attributes.join('')}>${children.map(([space, child]) => space + child).join('')}${end}</${name}>`,
      ),
  ),
}));
const DOCUMENT = fc
  .tuple(fc.constantFrom('', '<?xml version="1.0" encoding="UTF-8"?>\n', '<?xml?>', ' <?xml version="1.0"?>'), element)
  .map(([declaration, root]) => declaration + root);

test('generated documents: the fast reader reads what the general parser reads, or declines', () => {
  fc.assert(fc.property(DOCUMENT, agrees), { numRuns: 2000 });
});

test('mutated documents: no malformed document is accepted', () => {
  const edit = fc.tuple(fc.nat(), fc.constantFrom('', '<', '>', '/', '&', ';', '"', "'", '=', '!', '?', ' ', 'a'));
  fc.assert(
    fc.property(DOCUMENT, fc.array(edit, { minLength: 1, maxLength: 3 }), (xml, edits) => {
      let mutated = xml;
      for (const [position, text] of edits) {
        const at = position % (mutated.length + 1);
        // An empty edit deletes a character; any other inserts one.
        mutated = mutated.slice(0, at) + text + mutated.slice(text === '' ? at + 1 : at);
      }
      return agrees(mutated);
    }),
    { numRuns: 4000 },
  );
});

test('a declaration that a quoted "?>" ends early is not read as one (found by the mutation test)', () => {
  for (const xml of ['<?xml version="1.0" encoding="?>UTF-8"?>\n<e.f/>', "<?xml version='1.0?>' ?>\n<a>1</a>"]) {
    assert.equal(reference(xml), 'invalid', xml);
    assert.equal(readSimpleXml(xml), undefined, xml);
  }
});

test("every Braintree fixture takes the fast path, with the general parser's result", () => {
  for (const fixture of braintreeFixtures) {
    const fast = readSimpleXml(fixture.payload);
    assert.ok(fast, fixture.name);
    assert.deepEqual(fast, reference(fixture.payload), fixture.name);
  }
});

test('what the reader declines', () => {
  for (const xml of [
    '<a><!-- note --></a>',
    '<a><![CDATA[x]]></a>',
    '<a>&#65;</a>',
    '<a>x<b/>y</a>',
    '<a/><b/>',
    '<a></b>',
    '<a b=c/>',
    '<__proto__/>',
    `${'<a>'.repeat(70)}${'</a>'.repeat(70)}`,
  ]) {
    assert.equal(readSimpleXml(xml), undefined, xml);
  }
  assert.deepEqual(readSimpleXml('<a><b>1</b><c nil="true"/><b> &lt;2&gt; </b></a>'), {
    name: 'a',
    value: { b: ['1', '<2>'], c: '' },
  });
});
