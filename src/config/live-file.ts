import { createHash } from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { createLogger, type Logger } from '../logging';
import { ConfigError } from '../errors';

export interface LiveFileOptions<T> {
  /** The variable that names the file, in messages. */
  variable: string;
  path: string;
  /**
   * Turns the file's text into its value, or throws an Error whose message says what is wrong without
   * quoting the text (it may hold secrets).
   */
  parse(text: string): T;
  logger?: Logger;
  /** The file is looked at again, when its value is asked for, once this long has passed. */
  checkEveryMs?: number;
  now?: () => number;
}

/** Well inside docs/spec.md's "re-read within 10 seconds of a change". */
export const LIVE_FILE_CHECK_MS = 2_000;

/**
 * A file whose modification time is this close to the moment it was read may change again within the
 * filesystem's mtime granularity (a second or two on some) without its size, mtime or inode showing it:
 * until it has been quiet this long, each look reads its content.
 */
const MTIME_GRANULARITY_MS = 2_000;

/**
 * A settings file that is re-read when it changes, without a restart (docs/spec.md "Configuration":
 * SPAPI_SELLERS_FILE, LWA_CLIENT_SECRET_FILE). Each look is one `stat` of the path: the file is read only
 * when its size, mtime, inode or device differ from the last read (`stat` follows symlinks, so the swap of
 * a Kubernetes Secret's or ConfigMap's `..data` link to a new timestamped directory is a new inode), or
 * while its mtime is too recent to trust; its content is then compared, and parsed only when it differs.
 * `fs.watch` is not used: it misses changes on network and container mounts. A file that does not parse
 * (or cannot be read) keeps the last good value in force and is logged once, as an error, until it changes
 * again. At start a bad file is a `ConfigError`, so the process stops with one line. The file is looked at
 * when its value is asked for and on a timer, at most once per `checkEveryMs`.
 */
export class LiveFile<T> {
  private value: T;
  private digest: string;
  private seen: string;
  private readWallMs = 0;
  private mtimeMs = 0;
  private checkedAt: number;
  private readonly now: () => number;
  private readonly checkEveryMs: number;
  private readonly logger: Logger;

  constructor(private readonly options: LiveFileOptions<T>) {
    this.now = options.now ?? Date.now;
    this.checkEveryMs = options.checkEveryMs ?? LIVE_FILE_CHECK_MS;
    this.logger = options.logger ?? createLogger('info');
    this.seen = this.look();
    const text = this.read();
    if (text instanceof Error) throw new ConfigError(`${options.variable}: ${text.message}`);
    const parsed = this.parse(text);
    if (parsed instanceof Error) throw new ConfigError(`${options.variable}: ${parsed.message}`);
    this.value = parsed.value;
    this.digest = digestOf(text);
    this.checkedAt = this.now();
    // Also looked at while nobody asks, so that a broken edit is reported when it is made. The timer
    // never keeps a process alive, nor a LiveFile nobody holds any more.
    const held = new WeakRef(this);
    const timer = setInterval(() => {
      const file = held.deref();
      if (file === undefined) clearInterval(timer);
      else file.refreshIfDue();
    }, this.checkEveryMs).unref();
  }

  /** The file's last good value, re-read first if it is due for a look. */
  get current(): T {
    this.refreshIfDue();
    return this.value;
  }

  private refreshIfDue(): void {
    if (this.now() - this.checkedAt >= this.checkEveryMs) this.refresh();
  }

  private refresh(): void {
    this.checkedAt = this.now();
    const seen = this.look();
    if (seen === this.seen && this.readWallMs - this.mtimeMs > MTIME_GRANULARITY_MS) return;
    this.seen = seen;
    const text = this.read();
    const digest = text instanceof Error ? `error:${text.message}` : digestOf(text);
    if (digest === this.digest) return;
    this.digest = digest;
    const parsed = text instanceof Error ? text : this.parse(text);
    const { variable } = this.options;
    if (parsed instanceof Error) {
      this.logger.error(`${variable} changed but cannot be used; the last good one stays in force`, {
        variable,
        reason: parsed.message,
      });
      return;
    }
    this.value = parsed.value;
    this.logger.info(`${variable} re-read`, { variable, file: this.options.path });
  }

  /** What a change of the file would change: its identity, size and mtime, or why it cannot be looked at. */
  private look(): string {
    let stats: Stats;
    try {
      stats = statSync(this.options.path);
    } catch (error) {
      return `error:${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`;
    }
    this.mtimeMs = stats.mtimeMs;
    return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
  }

  private read(): string | Error {
    this.readWallMs = Date.now();
    try {
      return readFileSync(this.options.path, 'utf8');
    } catch (error) {
      return new Error(`cannot read ${this.options.path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  }

  private parse(text: string): { value: T } | Error {
    try {
      return { value: this.options.parse(text) };
    } catch (error) {
      return new Error(`${this.options.path} ${error instanceof Error ? error.message : 'is not valid'}`);
    }
  }
}

const shared = new Map<string, WeakRef<LiveFile<unknown>>>();

/**
 * The process's one LiveFile for this variable and path: every component that reads the file (the SP-API
 * clients, the credential check, reconciliation, ingest's seller filter) shares one parsed value and one
 * look at the file, however many of them ask. The first caller's options are the ones in force.
 */
export function sharedLiveFile<T>(options: LiveFileOptions<T>): LiveFile<T> {
  const key = `${options.variable}\u0000${options.path}`;
  const existing = shared.get(key)?.deref() as LiveFile<T> | undefined;
  if (existing !== undefined) return existing;
  const file = new LiveFile(options);
  shared.set(key, new WeakRef(file));
  return file;
}

function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
