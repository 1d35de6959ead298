/**
 * Writes the providers' currency exponents (src/providers/exponents-document.ts) as JSON to the path given
 * as the only argument; `make schema` runs it for the lakehouse's copy.
 */
import { writeFileSync } from 'node:fs';
import { exponentsDocument } from '../src/providers/exponents-document.ts';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: currency-exponents.ts OUTPUT.json');
writeFileSync(path, `${JSON.stringify(exponentsDocument(), null, 2)}\n`);
