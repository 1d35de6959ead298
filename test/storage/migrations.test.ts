import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadMigrations, MIGRATIONS_TABLE } from '../../src/storage/migrate.ts';
import { EVENT_COLUMNS } from '../../src/storage/rows.ts';

/** Table name → column names, read from the CREATE TABLE statements of a dialect's migrations. */
function tables(sql: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const match of sql.matchAll(/CREATE TABLE (\w+) \(([\s\S]*?)\n\);/g)) {
    const columns = (match[2] ?? '')
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[0] ?? '')
      .filter((name) => /^[a-z_]+$/.test(name));
    result.set(match[1] ?? '', columns);
  }
  return result;
}

test('SQLite and PostgreSQL migrations are in step: same versions, tables and columns', () => {
  const sqlite = loadMigrations('sqlite');
  const postgres = loadMigrations('postgres');
  assert.deepEqual(
    sqlite.map((m) => [m.version, m.name]),
    postgres.map((m) => [m.version, m.name]),
  );
  const lite = tables(sqlite.map((m) => m.sql).join('\n'));
  const pg = tables(postgres.map((m) => m.sql).join('\n'));
  assert.deepEqual([...lite.keys()].sort(), [
    'customer_state',
    'payment_events',
    'payment_events_quarantine',
    'replayed_dead_letters',
  ]);
  assert.deepEqual(lite, pg);
});

test('payment_events has every column the adapters write, plus the incremental ones', () => {
  const columns = tables(loadMigrations('sqlite')[0]?.sql ?? '').get('payment_events') ?? [];
  assert.deepEqual(columns.sort(), [...EVENT_COLUMNS, 'ingested_seq', 'stored_at'].sort());
});

test("the storage README's table of tables lists every table the migrations create, and only those", () => {
  const readme = readFileSync(new URL('../../src/storage/README.md', import.meta.url), 'utf8');
  const listed = [...readme.matchAll(/^\| `(\w+)` +\| (?:\d{4}|\(`migrate\.ts`\))/gm)].map((match) => match[1]);
  const created = [
    ...tables(
      loadMigrations('sqlite')
        .map((m) => m.sql)
        .join('\n'),
    ).keys(),
    MIGRATIONS_TABLE,
  ];
  assert.deepEqual(listed.sort(), created.sort());
});
