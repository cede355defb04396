import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const LOCK_FILE = 'solicit-dev.lock';

/** What a running `solicit dev` writes in its data folder's lock, for whoever finds it taken. */
export interface DevStackHolder {
  pid: number;
  dataDir: string;
  temporalAddress: string;
  uiUrl: string;
}

/** Another live `solicit dev` holds the data folder: its database, logs and demo records are its own. */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
  constructor(readonly holder: DevStackHolder) {
    super(
      `data folder ${holder.dataDir} is in use by solicit dev pid ${holder.pid} ` +
        `(Temporal ${holder.temporalAddress}, Web UI ${holder.uiUrl}): stop it first, or give another --data-dir`,
    );
  }
}

export interface DataDirLock {
  release(): void;
}

/**
 * Takes `dataDir` for this process, or throws DataDirInUseError. The lock is a file naming its holder's
 * pid; a holder that has died (killed, crashed) no longer holds it, whatever the file says.
 */
export function lockDataDir(holder: DevStackHolder): DataDirLock {
  const file = path.join(holder.dataDir, LOCK_FILE);
  const mine = `${file}.${holder.pid}`;
  writeFileSync(mine, `${JSON.stringify(holder)}\n`);
  try {
    // link() fails if the lock exists: of two processes starting at once, one gets it.
    for (let attempt = 0; ; attempt += 1) {
      try {
        linkSync(mine, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
        const current = readHolder(file);
        if (current && current.pid !== holder.pid && isAlive(current.pid)) throw new DataDirInUseError(current);
        unlinkSync(file);
      }
    }
  } finally {
    unlinkSync(mine);
  }
  const release = () => {
    if (readHolder(file)?.pid === holder.pid) unlinkSync(file);
  };
  process.once('exit', release);
  return {
    release() {
      process.off('exit', release);
      release();
    },
  };
}

/** The live `solicit dev` that holds `dataDir`, if any. */
export function dataDirHolder(dataDir: string): DevStackHolder | undefined {
  const holder = readHolder(path.join(dataDir, LOCK_FILE));
  return holder && isAlive(holder.pid) ? holder : undefined;
}

export function describeHolder(holder: DevStackHolder): string {
  return `solicit dev pid ${holder.pid} (Temporal ${holder.temporalAddress}, Web UI ${holder.uiUrl}, data folder ${holder.dataDir})`;
}

function readHolder(file: string): DevStackHolder | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DevStackHolder;
  } catch {
    // Absent, or half-written by a process that died: nobody holds it.
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A pid the system has since given to another program does not hold the lock.
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('solicit');
  } catch {
    return true;
  }
}
