import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../src/local/processes';

/**
 * `npm start` and `npm run bench` as run on a fresh clone: no node_modules, no .tools. The scripts run for
 * real in a copy of the checkout's scripts; npm, npx, tools.sh and bin/solicit are stand-ins that record how
 * they were called, in order.
 */

let root: string;
const calls = () => readFileSync(path.join(root, 'calls'), 'utf8').trim().split('\n');

function standIn(file: string, name: string): void {
  writeFileSync(file, `#!/bin/sh\necho "${name} $*" >>"${root}/calls"\n`);
  chmodSync(file, 0o755);
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'fresh-clone-'));
  mkdirSync(path.join(root, 'scripts'));
  mkdirSync(path.join(root, 'bin'));
  mkdirSync(path.join(root, 'stand-ins'));
  for (const script of ['bench.sh', 'start.sh', 'node.sh', 'digest.sh']) {
    copyFileSync(path.join(PROJECT_ROOT, 'scripts', script), path.join(root, 'scripts', script));
  }
  standIn(path.join(root, 'scripts', 'tools.sh'), 'tools.sh');
  standIn(path.join(root, 'bin', 'solicit'), 'solicit');
  standIn(path.join(root, 'stand-ins', 'npm'), 'npm');
  standIn(path.join(root, 'stand-ins', 'npx'), 'npx');
  writeFileSync(path.join(root, 'calls'), '');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function run(script: string, ...args: string[]) {
  // This node (>= 22) first, so that scripts/node.sh downloads nothing.
  const PATH = [path.join(root, 'stand-ins'), path.dirname(process.execPath), '/usr/bin', '/bin'].join(':');
  return spawnSync('bash', [path.join(root, 'scripts', script), ...args], { env: { PATH }, encoding: 'utf8' });
}

/** On a fresh clone a script succeeds after it installed the npm packages and `tools`, then built. */
function expectFreshCloneRun(result: SpawnSyncReturns<string>, tools: string, command: string): void {
  expect(result.status).toBe(0);
  expect(calls()).toEqual([
    'npm ci --no-audit --no-fund --loglevel=error',
    `tools.sh ${tools}`,
    'npm run --silent build',
    command,
  ]);
}

it('npm run bench installs the packages and the servers the benchmarks start, then builds and runs them', () => {
  const bench = run('bench.sh', '--only', 'month');
  expectFreshCloneRun(bench, 'temporal temporal-test-server sqs-server', 'npx tsx bench/main.ts --only month');
});

it('npm start installs only what the stack needs, says each step in one line, and runs solicit dev', () => {
  const start = run('start.sh', '--no-demo');
  // Not chromium, prometheus or kubernetes-validate: those are the tests'.
  expectFreshCloneRun(start, 'temporal sqs-server', 'solicit dev --no-demo');
  expect(start.stderr.split('\n')).toEqual([
    'start: installing the npm packages (npm ci)',
    'start: building (npm run build)',
    '',
  ]);
});

it('npm start skips a build that is up to date', () => {
  mkdirSync(path.join(root, 'src'));
  for (const source of ['src/main.ts', 'scripts/bundle-workflows.mjs', 'tsconfig.json', 'package-lock.json']) {
    writeFileSync(path.join(root, source), '');
  }
  mkdirSync(path.join(root, 'node_modules'));
  mkdirSync(path.join(root, 'dist'));
  writeFileSync(path.join(root, 'dist', 'workflow-bundle.js'), '');
  const start = run('start.sh');
  expect(start.status).toBe(0);
  expect(calls()).toEqual(['tools.sh temporal sqs-server', 'solicit dev']);
  expect(start.stderr).toBe('start: build up to date\n');
});

it('a stop signal to npm start during a step ends it at once', () => {
  // npm ci that would take a minute: the signal must not wait for it.
  writeFileSync(path.join(root, 'stand-ins', 'npm'), `#!/bin/sh\necho "npm $*" >>"${root}/calls"\nexec sleep 60\n`);
  const started = Date.now();
  const start = spawnSync(
    'bash',
    ['-c', `bash "${root}/scripts/start.sh" & pid=$!; sleep 2; kill -TERM $pid; wait $pid`],
    {
      env: { PATH: [path.join(root, 'stand-ins'), path.dirname(process.execPath), '/usr/bin', '/bin'].join(':') },
      encoding: 'utf8',
    },
  );
  expect(start.status).toBe(130);
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(calls()).toEqual(['npm ci --no-audit --no-fund --loglevel=error']);
});
