import { createHash } from 'node:crypto';
import { ConfigError } from '../errors';
import { createLogger, type Logger } from '../logging';
import type { SecretStore } from './secret-store';

/**
 * Secrets Manager is asked this often: a changed secret is in force well inside docs/spec.md's 10 seconds,
 * at about 17,000 requests a day per process.
 */
export const LIVE_SECRET_CHECK_MS = 5_000;

export interface LiveSecretOptions<T> {
  store: SecretStore;
  /** Turns the text into its value, or throws an Error whose message does not quote the text. */
  parse(text: string): T;
  logger?: Logger;
  checkEveryMs?: number;
}

/**
 * A setting kept in a secret store that may change while the process runs (LWA_CLIENT_SECRET_ARN,
 * SPAPI_SELLERS_SECRET_ARN): read at start, where a failure is a `ConfigError`, then again on a timer. As
 * with the live files (./live-file.ts), a value that cannot be read or used keeps the last good one in
 * force and is logged once until it changes.
 */
export class LiveSecret<T> {
  private digest: string;
  private reported: string | undefined;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly options: LiveSecretOptions<T>,
    private value: T,
    text: string,
    private readonly logger: Logger,
  ) {
    this.digest = digestOf(text);
    this.timer = setInterval(() => void this.refresh(), options.checkEveryMs ?? LIVE_SECRET_CHECK_MS).unref();
  }

  static async open<T>(options: LiveSecretOptions<T>): Promise<LiveSecret<T>> {
    const { store } = options;
    let text: string;
    try {
      text = await store.read();
    } catch (error) {
      throw new ConfigError(`${store.variable}: cannot read ${store.location} (${reasonOf(error)})`);
    }
    let value: T;
    try {
      value = options.parse(text);
    } catch (error) {
      throw new ConfigError(`${store.variable}: ${store.location} ${reasonOf(error)}`);
    }
    return new LiveSecret(options, value, text, options.logger ?? createLogger('info'));
  }

  /** The last good value. */
  get current(): T {
    return this.value;
  }

  /** Reads the store now; what the timer does. */
  async refresh(): Promise<void> {
    const { store } = this.options;
    let text: string;
    try {
      text = await store.read();
    } catch (error) {
      this.report(`cannot read ${store.location} (${reasonOf(error)})`);
      return;
    }
    const digest = digestOf(text);
    if (digest === this.digest) return;
    try {
      this.value = this.options.parse(text);
    } catch (error) {
      this.report(`${store.location} ${reasonOf(error)}`);
      return;
    }
    this.digest = digest;
    this.reported = undefined;
    this.logger.info(`${store.variable} re-read`, { variable: store.variable, location: store.location });
  }

  close(): void {
    clearInterval(this.timer);
  }

  private report(reason: string): void {
    if (reason === this.reported) return;
    this.reported = reason;
    const { variable } = this.options.store;
    this.logger.error(`${variable} changed but cannot be used; the last good one stays in force`, {
      variable,
      reason,
    });
  }
}

// An AWS error's name says what went wrong without quoting anything; a parse error's message is ours.
function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.name !== 'Error' ? error.name : error.message;
  return 'unreadable';
}

function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
