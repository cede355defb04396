import { randomBytes, randomUUID } from 'node:crypto';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { invalidInput, type SimResponse } from './amazon-errors';
import type { SimulatedLwa } from './lwa';

const DAY_MS = 86_400_000;
/** The old secret keeps working about 7 days after a rotation (Amazon's notes). */
export const ROTATION_GRACE_MS = 7 * DAY_MS;
/** A client secret lives 180 days. */
const SECRET_LIFETIME_MS = 180 * DAY_MS;

/** The queue registered in the Developer Console for application notifications. */
export interface ApplicationQueue {
  /** The SQS endpoint (ElasticMQ on loopback). */
  endpoint: string;
  url: string;
}

/** A seller that went through the consent page. */
export interface RecordedConsent {
  at: Date;
  sellerId: string;
  state: string;
}

/**
 * The app as Amazon's Developer Console and Seller Central know it: client secret rotation with its
 * notifications, and the consent page of the website authorization workflow.
 */
export class SimulatedApplication {
  private queue: ApplicationQueue | undefined;
  private sqs: SQSClient | undefined;
  private redirectUri: string | undefined;
  private nextSeller = 1;
  private readonly pending = new Set<Promise<unknown>>();
  readonly consents: RecordedConsent[] = [];

  constructor(
    private readonly applicationId: string,
    private readonly clientId: string,
    private readonly lwa: SimulatedLwa,
    private readonly now: () => Date,
    private readonly addSeller: (sellerId: string, refreshToken: string) => void,
    private readonly graceMs = ROTATION_GRACE_MS,
  ) {}

  setQueue(queue: ApplicationQueue | undefined): void {
    this.sqs?.destroy();
    this.queue = queue;
    this.sqs =
      queue &&
      new SQSClient({
        region: 'us-east-1',
        endpoint: queue.endpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
  }

  registerRedirectUri(uri: string): void {
    this.redirectUri = uri;
  }

  /** rotateApplicationClientSecret: 204, and the new secret goes to the registered queue. */
  rotate(): SimResponse {
    if (this.queue === undefined) {
      return invalidInput(
        'Application is not enrolled for rotation notification. Please update application notification preference in Developer console.',
      );
    }
    const at = this.now();
    const secret = `amzn1.oa2-cs.v1.${randomBytes(24).toString('hex')}`;
    const oldExpiry = new Date(at.getTime() + this.graceMs);
    this.lwa.rotateClientSecret(secret, oldExpiry.getTime());
    // A queue that fails shows as a notice that never arrives, as when Amazon's delivery fails.
    void this.send('APPLICATION_OAUTH_CLIENT_NEW_SECRET', at, {
      applicationOAuthClientNewSecret: {
        clientId: this.clientId,
        newClientSecret: secret,
        newClientSecretExpiryTime: new Date(at.getTime() + SECRET_LIFETIME_MS).toISOString(),
        oldClientSecretExpiryTime: oldExpiry.toISOString(),
      },
    }).catch(() => undefined);
    return { status: 204 };
  }

  /** What Amazon sends ahead of a secret's expiry. */
  sendExpiryNotice(expiresAt: Date): Promise<void> {
    return this.send('APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY', this.now(), {
      applicationOAuthClientSecretExpiry: {
        clientId: this.clientId,
        clientSecretExpiryTime: expiresAt.toISOString(),
        clientSecretExpiryReason: 'PERIODIC_ROTATION',
      },
    });
  }

  /** Resolves once every notification sent so far is on the queue. */
  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }

  /** GET /apps/authorize/consent: Seller Central's consent page, as HTML. */
  consentPage(query: URLSearchParams): { status: number; html: string } {
    if (query.get('application_id') !== this.applicationId) {
      return { status: 400, html: page('Unknown application', '<p>This application does not exist.</p>') };
    }
    const state = query.get('state') ?? '';
    const sellerId = `A${String(this.nextSeller).padStart(3, '0')}CONNECTEDSELLER`;
    const beta = query.get('version') === 'beta' ? '<p>Draft application (beta).</p>' : '';
    return {
      status: 200,
      html: page(
        'Authorize application',
        `<p>The application <code>${escape(this.applicationId)}</code> asks to access your selling account.</p>${beta}
<form method="get" action="/apps/authorize/confirm">
<input type="hidden" name="state" value="${escape(state)}">
<label>Selling partner ID <input name="selling_partner_id" value="${sellerId}"></label>
<button type="submit">Confirm</button>
</form>`,
      ),
    };
  }

  /** The seller confirmed: back to the app's redirect URI with `state`, the seller and a code. */
  confirm(query: URLSearchParams): { status: number; html?: string; location?: string } {
    const sellerId = query.get('selling_partner_id') ?? '';
    const state = query.get('state') ?? '';
    if (this.redirectUri === undefined || !/^[A-Z0-9]{1,40}$/.test(sellerId)) {
      return { status: 400, html: page('Cannot authorize', '<p>No redirect URI is registered.</p>') };
    }
    this.nextSeller += 1;
    const refreshToken = `Atzr|sim-${randomBytes(16).toString('hex')}`;
    this.addSeller(sellerId, refreshToken);
    const code = this.lwa.issueAuthorizationCode(sellerId, refreshToken, this.redirectUri, this.now().getTime());
    this.consents.push({ at: this.now(), sellerId, state });
    const target = new URL(this.redirectUri);
    target.searchParams.set('state', state);
    target.searchParams.set('selling_partner_id', sellerId);
    target.searchParams.set('spapi_oauth_code', code);
    return { status: 302, location: target.toString() };
  }

  close(): void {
    this.sqs?.destroy();
  }

  private send(type: string, at: Date, payload: object): Promise<void> {
    const { queue, sqs } = this;
    if (queue === undefined || sqs === undefined) return Promise.reject(new Error('no application queue registered'));
    const body = JSON.stringify({
      notificationVersion: '1.0',
      notificationType: type,
      payloadVersion: '2023-11-30',
      eventTime: at.toISOString(),
      payload,
      notificationMetadata: {
        applicationId: this.applicationId,
        subscriptionId: randomUUID(),
        publishTime: at.toISOString(),
        notificationId: randomUUID(),
      },
    });
    const sent = sqs
      .send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body }))
      .then(() => undefined)
      .finally(() => this.pending.delete(sent));
    this.pending.add(sent);
    return sent;
  }
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto"><h1>${title}</h1>${body}</body></html>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
