/**
 * Amazon's application notifications about the app's own LWA client secret, which arrive on the same
 * queue as ORDER_CHANGE (docs/spec.md, "Ingest rules"). Application notifications are camel-cased, unlike
 * ORDER_CHANGE: `{ notificationType, eventTime, payload: { applicationOAuthClientSecretExpiry:
 * { clientId, clientSecretExpiryTime, clientSecretExpiryReason } } }`, and for a rotation `payload.
 * applicationOAuthClientNewSecret` holding `newClientSecret`: that value is never read into anything
 * that could be logged.
 */
export type ApplicationNotification =
  | { type: 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY'; expiresAt?: Date; reason?: string }
  | { type: 'APPLICATION_OAUTH_CLIENT_NEW_SECRET'; oldSecretExpiresAt?: Date };

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
      return { type, ...(expiresAt && { expiresAt }), ...(typeof reason === 'string' && { reason }) };
    }
    case 'APPLICATION_OAUTH_CLIENT_NEW_SECRET': {
      const oldSecretExpiresAt = date(
        field(field(payload, 'applicationOAuthClientNewSecret'), 'oldClientSecretExpiryTime'),
      );
      return { type, ...(oldSecretExpiresAt && { oldSecretExpiresAt }) };
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

function date(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time);
}
