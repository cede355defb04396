import type { SecretStore } from '../config/secret-store';
import type { ApplicationNotification } from '../ingest/application-notification';
import type { Logger } from '../logging';
import { SpApiError } from '../spapi/errors';

export type RotationMode = 'auto' | 'off';

export interface ClientSecretRotationOptions {
  /** LWA_CLIENT_ID; notices for another client are logged and deleted. Unknown: every notice is ours. */
  clientId?: string;
  /** SOLICIT_ROTATE_SECRET, already resolved against the store's writability. */
  mode: RotationMode;
  /** Where the new secret is written (LWA_CLIENT_SECRET_FILE or LWA_CLIENT_SECRET_ARN). */
  store?: SecretStore;
  /** rotateApplicationClientSecret. */
  rotate(): Promise<void>;
  /** One LWA token request with `secret`; throws when LWA does not take it. */
  check(secret: string): Promise<void>;
  setClientSecretExpiry(expiresAt: Date): void;
  logger: Logger;
}

/** Whether the message that carried a notice may be deleted. */
export type Handled = boolean;

/**
 * The client secret's lifecycle on the queue (docs/spec.md, "Credential lifecycle"): an expiry notice
 * leads to at most one rotation call per expiry time; the new-secret notice is checked with one LWA
 * request and stored, and every process takes it from the store within 10 seconds. The value is never
 * logged nor put in an error; with rotation off, or a store that cannot be written, the operator is told
 * by an error naming the old secret's expiry, which also sets the expiry gauge so that the alert fires.
 */
export class ClientSecretRotation {
  /** Expiry times already answered with a rotation call (or one in flight). */
  private readonly rotatedFor = new Set<number>();

  constructor(private readonly options: ClientSecretRotationOptions) {}

  get mode(): RotationMode {
    return this.options.mode;
  }

  async handle(notice: ApplicationNotification, messageId: string | undefined): Promise<Handled> {
    const { clientId, logger } = this.options;
    if (clientId !== undefined && notice.clientId !== undefined && notice.clientId !== clientId) {
      logger.warn('application notification for another client ID deleted', {
        messageId,
        notificationType: notice.type,
        clientId: notice.clientId,
      });
      return true;
    }
    return notice.type === 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY'
      ? this.onExpiry(notice, messageId)
      : this.onNewSecret(notice, messageId);
  }

  /** `solicit rotate-secret`: one rotation call now. */
  async rotateNow(): Promise<void> {
    await this.options.rotate();
  }

  private async onExpiry(
    notice: Extract<ApplicationNotification, { type: 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY' }>,
    messageId: string | undefined,
  ): Promise<Handled> {
    const { mode, logger } = this.options;
    const expiresAt = notice.expiresAt?.toISOString() ?? 'an unstated time';
    if (notice.expiresAt) this.options.setClientSecretExpiry(notice.expiresAt);
    const fields = { messageId, expiresAt, ...(notice.reason !== undefined && { expiryReason: notice.reason }) };
    if (mode === 'off') {
      logger.error(`the LWA client secret expires at ${expiresAt}: rotate it before then`, fields);
      return true;
    }
    const key = notice.expiresAt?.getTime() ?? Number.NaN;
    if (this.rotatedFor.has(key)) {
      logger.info('client secret expiry notice already answered with a rotation', fields);
      return true;
    }
    this.rotatedFor.add(key);
    try {
      await this.options.rotate();
    } catch (error) {
      if (error instanceof SpApiError && (error.kind === 'transient' || error.kind === 'throttled')) {
        this.rotatedFor.delete(key);
        logger.warn('client secret rotation failed; the notice will be received again', { ...fields, error });
        return false;
      }
      logger.error(`client secret rotation refused: rotate it by hand before ${expiresAt}`, { ...fields, error });
      return true;
    }
    logger.info('client secret rotation requested: the new secret arrives on the queue', fields);
    return true;
  }

  private async onNewSecret(
    notice: Extract<ApplicationNotification, { type: 'APPLICATION_OAUTH_CLIENT_NEW_SECRET' }>,
    messageId: string | undefined,
  ): Promise<Handled> {
    const { mode, store, logger } = this.options;
    const oldExpiry = notice.oldSecretExpiresAt;
    const notStored = (why: string, error?: unknown) => {
      if (oldExpiry) this.options.setClientSecretExpiry(oldExpiry);
      logger.error(
        `a new client secret was issued but not stored (${why}): store it by hand before the old one expires at ${
          oldExpiry?.toISOString() ?? 'an unstated time'
        }`,
        { messageId, ...(error !== undefined && { error }) },
      );
    };
    if (mode === 'off' || store === undefined) {
      notStored(store === undefined ? 'no writable secret store' : 'SOLICIT_ROTATE_SECRET=off');
      return true;
    }
    if (notice.newSecret === undefined) {
      notStored('the notice holds no secret');
      return true;
    }
    const secret = notice.newSecret.reveal();
    try {
      await this.options.check(secret);
    } catch (error) {
      if (error instanceof SpApiError && (error.kind === 'transient' || error.kind === 'throttled')) {
        logger.warn('the new client secret could not be checked yet; the notice will be received again', {
          messageId,
          error,
        });
        return false;
      }
      notStored('LWA did not take it', error);
      return true;
    }
    try {
      await store.write(`${secret}\n`);
    } catch (error) {
      notStored(`${store.variable} could not be written`, error instanceof Error ? error.name : error);
      return false;
    }
    if (notice.newSecretExpiresAt) this.options.setClientSecretExpiry(notice.newSecretExpiresAt);
    logger.info('client secret rotated', {
      messageId,
      store: store.variable,
      // Field names that say "secret" are redacted by the logger; these carry times only.
      expiresAt: notice.newSecretExpiresAt?.toISOString(),
      previousExpiresAt: oldExpiry?.toISOString(),
    });
    return true;
  }
}
