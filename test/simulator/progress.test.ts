import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from '../../src/simulator/duration.ts';
import { createSimulationProgress } from '../../src/simulator/progress.ts';

const at = (done: number, elapsedMs: number) => ({
  total: 10,
  done,
  acknowledged: done,
  rejected: 0,
  failed: 0,
  elapsedMs,
});

test('without a terminal, progress is a plain line every interval, and once more at the end', () => {
  const lines: string[] = [];
  const reporter = createSimulationProgress({ write: (text: string) => lines.push(text) }, { everyMs: 1000 });
  reporter.update(at(1, 0));
  reporter.update(at(2, 500));
  reporter.update(at(5, 1000));
  reporter.update(at(10, 1200));
  reporter.finish();
  assert.equal(lines.length, 3);
  assert.ok(lines.every((line) => line.startsWith('simulate: ') && line.endsWith('\n') && !line.includes('\r')));
  assert.match(lines[2] as string, /^simulate: 10\/10 sent · 2xx 10 · refused 0 · no answer 0 · 8\/s\n$/);
});

test('on a terminal, a bar redrawn in place, ended by a newline', () => {
  let screen = '';
  const reporter = createSimulationProgress({ write: (text: string) => (screen += text), isTTY: true });
  reporter.update(at(5, 0));
  reporter.update(at(10, 1000));
  reporter.finish();
  assert.equal(screen.split('\r').length - 1, 3);
  assert.ok(screen.includes(`${'█'.repeat(12)}${'░'.repeat(12)} 5/10`));
  assert.ok(screen.endsWith('\u001b[K\n'));
});

test('durations as typed on a command line', () => {
  assert.equal(parseDuration('30s'), 30);
  assert.equal(parseDuration('2m'), 120);
  assert.equal(parseDuration('1h'), 3600);
  assert.equal(parseDuration('500ms'), 0.5);
  assert.equal(parseDuration('90'), 90);
  assert.equal(parseDuration('0s'), 0);
  for (const bad of ['', '-1s', '2 days', 's', '1e3']) assert.equal(parseDuration(bad), undefined, bad);
});
