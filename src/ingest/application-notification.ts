import { OpaqueSecret } from '../config/opaque-secret';

/**
 * Amazon's application notifications about the app's own LWA client secret, which arrive on the same
 * queue as ORDER_CHANGE (docs/spec.md, "Credential lifecycle"). Application notifications are camel-cased,
 * unlike ORDER_CHANGE: `{ notificationType, eventTime, payload: { applicationOAuthClientSecretExpiry:
 * { clientId, clientSecretExpiryTime, clientSecretExpiryReason } } }`, and for a rotation `payload.
 * applicationOAuthClientNewSecret` { clientId, newClientSecret, newClientSecretExpiryTime,
 * oldClientSecretExpiryTime }: the new secret is held only as an `OpaqueSecret`, which prints as
 * `[redacted]` wherever it is logged or serialised.
 */
export type ApplicationNotification =
  | { type: 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY'; clientId?: string; expiresAt?: Date; reason?: string }
  | {
      type: 'APPLICATION_OAUTH_CLIENT_NEW_SECRET';
      clientId?: string;
      newSecret?: OpaqueSecret;
      newSecretExpiresAt?: Date;
      oldSecretExpiresAt?: Date;
    };

/** The application notification in a message body, or undefined when the body is not one. Never throws. */
export function readApplicationNotification(body: string | undefined): ApplicationNotification | undefined {
  if (body === undefined || !body.includes('APPLICATION_OAUTH_CLIENT_')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  const type = field(value, 'notificationType');
  const payload = field(value, 'payload');
  switch (type) {
    case 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY': {
      const expiry = field(payload, 'applicationOAuthClientSecretExpiry');
      const expiresAt = date(field(expiry, 'clientSecretExpiryTime'));
      const reason = field(expiry, 'clientSecretExpiryReason');
      const clientId = text(field(expiry, 'clientId'));
      return {
        type,
        ...(clientId !== undefined && { clientId }),
        ...(expiresAt && { expiresAt }),
        ...(typeof reason === 'string' && { reason }),
      };
    }
    case 'APPLICATION_OAUTH_CLIENT_NEW_SECRET': {
      const notice = field(payload, 'applicationOAuthClientNewSecret');
      const clientId = text(field(notice, 'clientId'));
      const secret = text(field(notice, 'newClientSecret'));
      const newSecretExpiresAt = date(field(notice, 'newClientSecretExpiryTime'));
      const oldSecretExpiresAt = date(field(notice, 'oldClientSecretExpiryTime'));
      return {
        type,
        ...(clientId !== undefined && { clientId }),
        ...(secret !== undefined && { newSecret: new OpaqueSecret(secret) }),
        ...(newSecretExpiresAt && { newSecretExpiresAt }),
        ...(oldSecretExpiresAt && { oldSecretExpiresAt }),
      };
    }
    default:
      return undefined;
  }
}

/** A field by its camel-cased name or the same name capitalised. */
function field(value: unknown, name: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  return record[name] ?? record[name.charAt(0).toUpperCase() + name.slice(1)];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function date(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time);
}
