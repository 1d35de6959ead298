/** Training tables and truth records as files: JSON lines (one object a line) or CSV (RFC 4180 quoting). */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirectory } from '../../runtime/make-directory.ts';
import type { Row, TrainingSets } from './tables.ts';

export function toJsonLines(rows: readonly object[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV with a header of the first row's columns; every row of a table has the same columns. */
export function toCsv(rows: readonly Row[]): string {
  const first = rows[0];
  if (first === undefined) return '';
  const columns = Object.keys(first);
  const lines = [columns.map(csvCell).join(','), ...rows.map((row) => columns.map((c) => csvCell(row[c])).join(','))];
  return `${lines.join('\n')}\n`;
}

/** Writes `fraud`, `retry` and `churn` tables into `dir` (created if missing); returns the paths. */
export async function writeTrainingSets(dir: string, sets: TrainingSets, format: 'csv' | 'jsonl' = 'csv') {
  makeDirectory(dir);
  const paths: string[] = [];
  for (const [name, rows] of Object.entries(sets) as [string, readonly Row[]][]) {
    const path = join(dir, `${name}.${format}`);
    await writeFile(path, format === 'csv' ? toCsv(rows) : toJsonLines(rows));
    paths.push(path);
  }
  return paths;
}
