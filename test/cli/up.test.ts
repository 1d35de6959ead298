/**
 * `paypipe up`, `status` and `replay` refused at start, as an operator meets it: a bad data folder, a store
 * that cannot open, a port already taken, a data folder `paypipe up` never ran in. Each exits 1 promptly
 * with one line naming what is wrong and its stable code: no stack trace, and no process left hanging on a
 * thread opened before the failure. A provider without its secrets is warned about, not refused.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type TestContext, test } from 'node:test';
import { TEST_SECRETS } from '../helpers/test-config.ts';

const BIN = new URL('../../bin/paypipe', import.meta.url).pathname;

/** Runs the command; a process still running after 20 s is killed and reported as `hung`. */
function paypipe(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | 'hung'; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      BIN,
      args,
      { env: { PATH: process.env.PATH ?? '', ...TEST_SECRETS, PORT: '0', ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const failed = error as (Error & { code?: number; killed?: boolean }) | null;
        resolve({ code: failed === null ? 0 : failed.killed ? 'hung' : (failed.code ?? -1), stdout, stderr });
      },
    );
  });
}

/** A data folder, and a regular file in it that a path cannot go through. */
function folders(t: TestContext): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'paypipe-up-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'a-file');
  writeFileSync(file, '');
  return { dir, file };
}

function assertRefused(result: { code: number | 'hung'; stderr: string }, code: string, names: RegExp): void {
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, new RegExp(`^paypipe: .*\\(${code}\\)\\n$`), result.stderr);
  assert.match(result.stderr, names);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
}

test('up: a data folder that cannot be created is a configuration error naming PAYPIPE_DATA_DIR', async (t) => {
  const { file } = folders(t);
  assertRefused(
    await paypipe(['up'], { PAYPIPE_DATA_DIR: join(file, 'data') }),
    'PAYPIPE_ERR_CONFIG',
    /PAYPIPE_DATA_DIR/,
  );
});

test('up: a kafka:// log is refused before anything is created, the data folder among them', async (t) => {
  const { dir } = folders(t);
  const data = join(dir, 'data');
  const result = await paypipe(['up'], { PAYPIPE_DATA_DIR: data, PAYPIPE_LOG_URL: 'kafka://user:secret@broker:9092' });
  assertRefused(result, 'PAYPIPE_ERR_CONFIG', /PAYPIPE_LOG_URL: kafka:\/\/ is designed/);
  assert.doesNotMatch(result.stderr, /secret/);
  assert.equal(existsSync(data), false);
});

test('up: a data folder, log or store mkdir cannot make (/proc/x) is refused, never spun on', {
  skip: process.platform !== 'linux',
}, async (t) => {
  const { dir } = folders(t);
  const unmakeable = '/proc/paypipe-no-such-dir';
  assertRefused(await paypipe(['up'], { PAYPIPE_DATA_DIR: unmakeable }), 'PAYPIPE_ERR_CONFIG', /PAYPIPE_DATA_DIR/);
  assertRefused(
    await paypipe(['up'], { PAYPIPE_DATA_DIR: dir, PAYPIPE_LOG_URL: `sqlite:${unmakeable}/log.db` }),
    'PAYPIPE_ERR_LOG_UNAVAILABLE',
    /log/,
  );
  assertRefused(
    await paypipe(['up'], { PAYPIPE_DATA_DIR: dir, DATABASE_URL: `sqlite:${unmakeable}/paypipe.db` }),
    'PAYPIPE_ERR_STORE_UNAVAILABLE',
    /store/,
  );
});

test('up: a store that cannot open, once the log is open, exits rather than hangs', async (t) => {
  const { dir, file } = folders(t);
  assertRefused(
    await paypipe(['up'], { PAYPIPE_DATA_DIR: dir, DATABASE_URL: `sqlite:${join(file, 'paypipe.db')}` }),
    'PAYPIPE_ERR_STORE_UNAVAILABLE',
    new RegExp(`DATABASE_URL: the store at ${file}/paypipe\\.db cannot open \\(`),
  );
  assertRefused(
    await paypipe(['up'], { PAYPIPE_DATA_DIR: dir, DATABASE_URL: 'sqlite:' }),
    'PAYPIPE_ERR_CONFIG',
    /DATABASE_URL/,
  );
});

test('up: a port already taken names HOST and PORT, and exits without logging a stop of what never started', async (t) => {
  const { dir } = folders(t);
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  t.after(() => taken.close());
  const address = taken.address();
  assert.ok(address !== null && typeof address === 'object');
  const result = await paypipe(['up'], { PAYPIPE_DATA_DIR: dir, HOST: '127.0.0.1', PORT: String(address.port) });
  assertRefused(result, 'PAYPIPE_ERR_CONFIG', new RegExp(`PORT.*127\\.0\\.0\\.1:${address.port}`));
  const logged = result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line).msg);
  assert.ok(!logged.includes('paypipe is up') && !logged.includes('paypipe stopped'), logged.join(', '));
});

test('up: a provider that cannot verify is one warning naming the variables, and up still starts', async (t) => {
  const { dir } = folders(t);
  const { PAYPIPE_ADYEN_BASIC_AUTH: _auth, PAYPIPE_SQUARE_NOTIFICATION_URL: _url, ...partial } = TEST_SECRETS;
  const child = spawn(BIN, ['up'], {
    env: { PATH: process.env.PATH ?? '', ...partial, PORT: '0', PAYPIPE_DATA_DIR: dir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => child.kill('SIGKILL'));
  const exited = once(child, 'exit');
  const logs: {
    level: number;
    msg: string;
    provider?: string;
    missing?: string[];
    providers?: string[];
    scoring?: string;
  }[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    logs.push(JSON.parse(line));
    if (logs.at(-1)?.msg === 'paypipe is up') break;
  }
  child.kill('SIGTERM');
  assert.equal(logs.at(-1)?.scoring, 'in-process', 'the up line says where scoring runs');
  assert.deepEqual(
    logs.filter((line) => line.level === 40).map((line) => [line.provider, line.missing]),
    [
      ['square', ['PAYPIPE_SQUARE_NOTIFICATION_URL']],
      ['adyen', ['PAYPIPE_ADYEN_BASIC_AUTH']],
    ],
  );
  assert.deepEqual(logs.find((line) => line.providers !== undefined)?.providers, ['stripe', 'braintree']);
  assert.ok(!JSON.stringify(logs).includes(TEST_SECRETS.PAYPIPE_ADYEN_HMAC_KEYS), 'no secret is logged');
  assert.deepEqual(await exited, [0, null]);
});

test('status: a store that cannot open is one line with its code, and the log is closed', async (t) => {
  const { dir } = folders(t);
  writeFileSync(join(dir, 'log.db'), '');
  // A folder exists but is no database: the store's open fails after the log's has succeeded.
  assertRefused(
    await paypipe(['status'], { PAYPIPE_DATA_DIR: dir, DATABASE_URL: `sqlite:${dir}` }),
    'PAYPIPE_ERR_STORE_UNAVAILABLE',
    new RegExp(`DATABASE_URL: the store at ${dir} cannot open`),
  );
});

for (const command of [['up'], ['status'], ['replay', '--dry-run'], ['inference']]) {
  test(`${command[0]}: a store that cannot open under PAYPIPE_DATA_DIR names its path and PAYPIPE_DATA_DIR`, async (t) => {
    const { dir } = folders(t);
    writeFileSync(join(dir, 'log.db'), '');
    // DATABASE_URL unset: the path comes from the data folder, so that is the setting to look at.
    mkdirSync(join(dir, 'paypipe.db'));
    assertRefused(
      await paypipe(command, { PAYPIPE_DATA_DIR: dir, PAYPIPE_INFERENCE_PORT: '0' }),
      'PAYPIPE_ERR_STORE_UNAVAILABLE',
      new RegExp(`PAYPIPE_DATA_DIR: the store at ${dir}/paypipe\\.db cannot open \\(`),
    );
  });
}

for (const command of [['status'], ['replay', '--dry-run']]) {
  test(`${command[0]}: a data folder paypipe up never ran in is refused, and nothing is created`, async (t) => {
    const { dir } = folders(t);
    const wrong = join(dir, 'wrong');
    assertRefused(
      await paypipe(command, { PAYPIPE_DATA_DIR: wrong }),
      'PAYPIPE_ERR_CONFIG',
      new RegExp(
        `PAYPIPE_DATA_DIR: no event log at ${wrong}/log\\.db; has paypipe up run with this PAYPIPE_DATA_DIR\\?`,
      ),
    );
    assert.equal(existsSync(wrong), false);
    // The log there, the store not: the store is named, and still not created.
    writeFileSync(join(dir, 'log.db'), '');
    assertRefused(
      await paypipe(command, { PAYPIPE_DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'other.db')}` }),
      'PAYPIPE_ERR_CONFIG',
      /DATABASE_URL: no store at .*other\.db/,
    );
    assert.deepEqual(readdirSync(dir).sort(), ['a-file', 'log.db']);
  });
}

/** `paypipe up` on `dir`, resolved once it logs that it is up; SIGKILLed when the test ends. */
async function upAndRunning(t: TestContext, dir: string) {
  const child = spawn(BIN, ['up'], {
    env: { PATH: process.env.PATH ?? '', ...TEST_SECRETS, PORT: '0', PAYPIPE_DATA_DIR: dir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => child.kill('SIGKILL'));
  const exited = once(child, 'exit');
  for await (const line of createInterface({ input: child.stdout })) {
    if (JSON.parse(line).msg === 'paypipe is up') break;
  }
  return { child, exited };
}

test('up: a second paypipe up on the same event log is refused while the first runs, even one killed', async (t) => {
  const { dir } = folders(t);
  const first = await upAndRunning(t, dir);
  // Both would consume every topic with the same groups: each webhook normalized and run twice.
  assertRefused(
    await paypipe(['up'], { PAYPIPE_DATA_DIR: dir }),
    'PAYPIPE_ERR_CONFIG',
    new RegExp(`PAYPIPE_DATA_DIR: another paypipe up runs on the event log at ${dir}/log\\.db`),
  );
  // A SIGKILLed owner holds nothing: the lock is the operating system's, released with the process.
  first.child.kill('SIGKILL');
  await first.exited;
  const next = await upAndRunning(t, dir);
  next.child.kill('SIGTERM');
  assert.deepEqual(await next.exited, [0, null]);
});
