import { inspect } from 'node:util';
import { readApplicationNotification } from '../../../src/ingest/application-notification';
import { newSecret, secretExpiry } from '../../fixtures/application-notifications';
import { shippedMfn } from '../../fixtures/notifications';

describe('readApplicationNotification', () => {
  it('reads the expiry time and reason of a secret expiry', () => {
    expect(readApplicationNotification(secretExpiry('2025-04-01T00:00:00Z'))).toEqual({
      type: 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY',
      clientId: 'amzn1.application-oa2-client.0123456789abcdef',
      expiresAt: new Date('2025-04-01T00:00:00Z'),
      reason: 'PERIODIC_ROTATION',
    });
  });

  it('reads a new secret, which prints as [redacted] however it is logged', () => {
    const read = readApplicationNotification(newSecret('amzn1.oa2-cs.v1.s3cr3t'));
    expect(read).toMatchObject({
      type: 'APPLICATION_OAUTH_CLIENT_NEW_SECRET',
      clientId: 'amzn1.application-oa2-client.0123456789abcdef',
      newSecretExpiresAt: new Date('2025-09-04T10:15:02.117Z'),
      oldSecretExpiresAt: new Date('2025-03-11T10:15:02.117Z'),
    });
    expect(read?.type === 'APPLICATION_OAUTH_CLIENT_NEW_SECRET' && read.newSecret?.reveal()).toBe(
      'amzn1.oa2-cs.v1.s3cr3t',
    );
    expect(JSON.stringify(read)).not.toContain('s3cr3t');
    expect(`${String(read?.type === 'APPLICATION_OAUTH_CLIENT_NEW_SECRET' && read.newSecret)}`).toBe('[redacted]');
    expect(inspect(read, { depth: 5 })).not.toContain('s3cr3t');
  });

  it.each([
    ['an ORDER_CHANGE', JSON.stringify(shippedMfn())],
    ['not JSON', 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY {'],
    ['another application notification', '{"notificationType":"APPLICATION_OAUTH_CLIENT_OTHER"}'],
    ['no body', undefined],
  ])('is undefined for %s', (_name, body) => {
    expect(readApplicationNotification(body)).toBeUndefined();
  });
});
