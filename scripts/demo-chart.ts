/**
 * The demo's picture: what paypipe stored per provider and status, and what it refused or quarantined by
 * reason, with the webhook→stored latency in the title. Reads the configured log and store (as
 * `paypipe status` does) and writes an SVG to the path given as the only argument.
 */
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../src/config/config.ts';
import { createEventLog } from '../src/log/index.ts';
import { collectStatus, type Status } from '../src/runtime/status.ts';
import { createStore } from '../src/storage/create-store.ts';
import { renderSvg } from './vega.ts';

function spec(status: Status): object {
  const latency = status.store.latencyMs;
  const stored = status.store.byProviderStatus.map((row) => ({ ...row, panel: 'stored events' }));
  const refused = [
    ...status.deadLetters.map((row) => ({ reason: row.reason, count: row.waiting, where: row.topic })),
    ...status.store.quarantineByReason.map((row) => ({ reason: row.reason, count: row.count, where: 'quarantine' })),
  ];
  return {
    title: {
      text: `paypipe demo: ${status.store.events} events stored, ${status.store.quarantined} quarantined`,
      subtitle: latency
        ? `webhook → stored latency: p50 ${latency.p50} ms, p90 ${latency.p90} ms, p99 ${latency.p99} ms`
        : 'nothing stored',
    },
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
    hconcat: [
      {
        title: 'Stored events by provider and status',
        data: { values: stored },
        mark: 'bar',
        width: 320,
        height: 220,
        encoding: {
          x: { field: 'provider', type: 'nominal', axis: { labelAngle: 0 }, title: null },
          y: { field: 'count', type: 'quantitative', title: 'events' },
          color: {
            field: 'status',
            type: 'nominal',
            scale: {
              domain: ['succeeded', 'authorized', 'pending', 'failed', 'canceled', 'refunded', 'disputed'],
              range: ['#2e7d32', '#1565c0', '#9e9e9e', '#c62828', '#6d4c41', '#6a1b9a', '#ef6c00'],
            },
          },
        },
      },
      {
        title: 'Dead letters and quarantine by reason',
        data: { values: refused.length ? refused : [{ reason: 'none', count: 0, where: 'none' }] },
        mark: 'bar',
        width: 260,
        height: 220,
        encoding: {
          y: { field: 'reason', type: 'nominal', title: null, sort: '-x' },
          x: { field: 'count', type: 'quantitative', title: 'records' },
          color: { field: 'where', type: 'nominal', title: 'kept in' },
        },
      },
    ],
  };
}

const [path] = process.argv.slice(2);
if (path === undefined) throw new Error('usage: demo-chart.ts OUTPUT.svg');
const config = loadConfig();
const log = createEventLog(config.logUrl);
const store = await createStore(config.databaseUrl);
try {
  writeFileSync(path, await renderSvg(spec(await collectStatus(log, store))));
} finally {
  await store.close();
  await log.close();
}
