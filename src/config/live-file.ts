import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
 * A settings file that is re-read when it changes, without a restart (docs/spec.md: SPAPI_SELLERS_FILE,
 * LWA_CLIENT_SECRET_FILE). Its content is compared, not its mtime: some filesystems keep coarse or no
 * mtimes, and `fs.watch` misses changes on network and container mounts. A file that does not parse (or
 * cannot be read) keeps the last good value in force and is logged once, as an error, until it changes
 * again. At start a bad file is a `ConfigError`, so the process stops with one line. The file is looked at
 * when its value is asked for and on a timer, at most once per `checkEveryMs`.
 */
export class LiveFile<T> {
  private value: T;
  private digest: string;
  private checkedAt: number;
  private readonly now: () => number;
  private readonly checkEveryMs: number;
  private readonly logger: Logger;

  constructor(private readonly options: LiveFileOptions<T>) {
    this.now = options.now ?? Date.now;
    this.checkEveryMs = options.checkEveryMs ?? LIVE_FILE_CHECK_MS;
    this.logger = options.logger ?? createLogger('info');
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

  private read(): string | Error {
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

function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
