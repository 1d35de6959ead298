/**
 * Numbered SQL migrations, one folder per dialect (`migrations/sqlite/`, `migrations/postgres/`), kept in
 * step. A file is `NNNN_name.sql`; the adapter applies the pending ones in order, each in its own
 * transaction, and records the version in `paypipe_schema_migrations`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The table the migrator keeps; not part of the numbered files, so it exists before any of them runs. */
export const MIGRATIONS_TABLE = 'paypipe_schema_migrations';

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function migrationsDir(dialect: Dialect): string {
  return join(import.meta.dirname, 'migrations', dialect);
}

/** The dialect's migrations in version order. Throws on a misnamed file or a repeated version. */
export function loadMigrations(dialect: Dialect, dir: string = migrationsDir(dialect)): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = FILE.exec(file);
      if (!match) throw new Error(`migration ${file} is not named NNNN_name.sql`);
      return { version: Number(match[1]), name: match[2] ?? '', sql: readFileSync(join(dir, file), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`migration versions must run 1, 2, 3…: ${dir}`);
  });
  return migrations;
}

/** The migrations not yet applied, in order. */
export function pendingMigrations(all: readonly Migration[], applied: ReadonlySet<number>): Migration[] {
  return all.filter((migration) => !applied.has(migration.version));
}
