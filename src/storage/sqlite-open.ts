/**
 * Opening the SQLite store's file: WAL journal, `synchronous = FULL` so that a COMMIT that returned
 * survives a power cut (DESIGN.md: nothing reported stored before it is durable), and a busy timeout
 * because another connection (the writer thread, `paypipe status`) may hold the write lock for a moment.
 */
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { makeDirectory } from '../runtime/make-directory.ts';
import { loadMigrations, MIGRATIONS_TABLE, pendingMigrations } from './migrate.ts';

export const MEMORY = ':memory:';

function migrate(db: DatabaseSync): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))`);
  const rows = db.prepare(`SELECT version FROM ${MIGRATIONS_TABLE}`).all();
  const applied = new Set(rows.map((row) => Number(row.version)));
  for (const migration of pendingMigrations(loadMigrations('sqlite'), applied)) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migration.sql);
      db.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (version, name) VALUES (?, ?)`).run(
        migration.version,
        migration.name,
      );
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}

/**
 * Opens a connection to the store at `path` (`:memory:` for a private one). The first connection of a
 * process migrates; the writer thread's connection opens a file that is already migrated.
 */
export function openStoreDatabase(path: string, options: { readonly migrate: boolean }): DatabaseSync {
  if (path !== MEMORY) makeDirectory(dirname(path));
  const db = new DatabaseSync(path, { timeout: 5000 });
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = FULL');
  if (options.migrate) migrate(db);
  return db;
}
