import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dataDirHolder, lockDataDir, type DevStackHolder } from '../../../src/local/dev-lock';

let dataDir: string;
let running: ChildProcess | undefined;
beforeEach(() => (dataDir = mkdtempSync(path.join(os.tmpdir(), 'dev-lock-'))));
afterEach(() => {
  running?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const holder = (pid: number): DevStackHolder => ({
  pid,
  dataDir,
  temporalAddress: '127.0.0.1:7233',
  uiUrl: 'http://localhost:8233',
});
const lockFile = () => path.join(dataDir, 'solicit-dev.lock');

/** A live process whose command line is a `solicit dev`'s. */
function liveSolicitDev(): number {
  running = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', 'bin/solicit', 'dev']);
  return running.pid!;
}

it('refuses a data folder a live solicit dev holds, with one line naming it', () => {
  const pid = liveSolicitDev();
  writeFileSync(lockFile(), JSON.stringify(holder(pid)));
  expect(dataDirHolder(dataDir)).toEqual(holder(pid));
  expect(() => lockDataDir(holder(process.pid))).toThrow(
    `data folder ${dataDir} is in use by solicit dev pid ${pid} (Temporal 127.0.0.1:7233, Web UI http://localhost:8233): ` +
      'stop it first, or give another --data-dir',
  );
});

it('takes over the lock of a solicit dev that has died, and releases it', () => {
  const dead = spawnSync(process.execPath, ['-e', '', 'bin/solicit', 'dev']).pid;
  writeFileSync(lockFile(), JSON.stringify(holder(dead)));
  expect(dataDirHolder(dataDir)).toBeUndefined();
  const lock = lockDataDir(holder(process.pid));
  expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toEqual(holder(process.pid));
  lock.release();
  expect(existsSync(lockFile())).toBe(false);
});

it('does not count a pid since given to another program as the holder', () => {
  running = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
  writeFileSync(lockFile(), JSON.stringify(holder(running.pid!)));
  expect(dataDirHolder(dataDir)).toBeUndefined();
  lockDataDir(holder(process.pid)).release();
});
