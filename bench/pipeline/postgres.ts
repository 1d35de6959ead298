/**
 * The pipeline benchmark on a PostgreSQL store (`BENCH_POSTGRES_URL`, an admin URL of a server on this
 * machine): each run gets a database of its own, dropped after it, and the server's CPU is counted with the
 * pipeline's, since on one host its processes share the two cores with everything measured.
 */
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import type { StoredSource } from './stored.ts';

/** A fresh database on the server of `adminUrl`, its URL, and how to drop it. */
export async function createBenchDatabase(adminUrl: string): Promise<{ readonly url: string; drop(): Promise<void> }> {
  const name = `paypipe_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export function postgresStored(url: string): StoredSource {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  // Whole milliseconds, as SQLite's text timestamps hold them.
  const epochMs = (column: string) => `floor(extract(epoch FROM ${column}) * 1000)::float8`;
  return {
    async count() {
      const { rows } = await pool.query(
        'SELECT (SELECT count(*) FROM payment_events) + (SELECT count(*) FROM payment_events_quarantine) AS n',
      );
      return Number(rows[0]?.n ?? 0);
    },
    async times() {
      const events = await pool.query(
        `SELECT ${epochMs('received_at')} AS received, ${epochMs('stored_at')} AS stored FROM payment_events`,
      );
      const quarantine = await pool.query(`SELECT ${epochMs('stored_at')} AS stored FROM payment_events_quarantine`);
      return {
        events: events.rows.map((row) => ({ receivedAt: Number(row.received), storedAt: Number(row.stored) })),
        quarantinedAt: quarantine.rows.map((row) => Number(row.stored)),
      };
    },
    async close() {
      await pool.end();
    },
  };
}

const TICK_MS = 10;

/** utime + stime (own, then of reaped children) of /proc/<pid>/stat, and the parent's pid. */
function processTicks(pid: string): { readonly parent: string; readonly own: number; readonly reaped: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the name (which may hold spaces): state, ppid, ... utime is field 14 of stat(5), here 11.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      parent: fields[1] as string,
      own: Number(fields[11]) + Number(fields[12]),
      reaped: Number(fields[13]) + Number(fields[14]),
    };
  } catch {
    return null; // ended between the listing and the read
  }
}

/**
 * The server's CPU so far in milliseconds: the postmaster's own and its reaped children's, plus every live
 * child's (the backends serving the pipeline, the WAL writer, the checkpointer, autovacuum). Null off
 * Linux or when the server is not on this machine.
 */
export function serverCpuMs(postmaster: string): number | null {
  const master = processTicks(postmaster);
  if (master === null) return null;
  let ticks = master.own + master.reaped;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const child = processTicks(pid);
    if (child?.parent === postmaster) ticks += child.own;
  }
  return ticks * TICK_MS;
}

/** The postmaster's pid: the parent of a backend of ours. */
export async function postmasterPid(adminUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
    return processTicks(String(rows[0]?.pid))?.parent ?? null;
  } finally {
    await client.end();
  }
}
