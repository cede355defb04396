import type { SecretStore } from '../../../src/config/secret-store';
import { ClientSecretRotation, type RotationMode } from '../../../src/credentials/client-secret-rotation';
import { readApplicationNotification } from '../../../src/ingest/application-notification';
import { createLogger } from '../../../src/logging';
import { SpApiError } from '../../../src/spapi/errors';
import { newSecret, secretExpiry } from '../../fixtures/application-notifications';

const CLIENT_ID = 'amzn1.application-oa2-client.0123456789abcdef';
const NEW_SECRET = 'amzn1.oa2-cs.v1.SECRET-new-5e1f';

interface Fakes {
  mode?: RotationMode;
  rotate?: () => Promise<void>;
  check?: (secret: string) => Promise<void>;
}

function setup({
  mode = 'auto',
  rotate = jest.fn(() => Promise.resolve()),
  check = jest.fn(() => Promise.resolve()),
}: Fakes = {}) {
  const lines: string[] = [];
  const written: string[] = [];
  const expiries: Date[] = [];
  const store: SecretStore = {
    variable: 'LWA_CLIENT_SECRET_FILE',
    location: '/run/secrets/lwa',
    read: () => Promise.resolve(written.at(-1) ?? 'old'),
    write: (value) => {
      written.push(value);
      return Promise.resolve();
    },
    writable: () => Promise.resolve(true),
  };
  const rotation = new ClientSecretRotation({
    clientId: CLIENT_ID,
    mode,
    store,
    rotate,
    check,
    setClientSecretExpiry: (at) => expiries.push(at),
    logger: createLogger('debug', (line) => lines.push(line)),
  });
  return { rotation, rotate, check, lines, written, expiries };
}

const expiry = readApplicationNotification(secretExpiry('2025-04-01T00:00:00Z'))!;
const issued = readApplicationNotification(newSecret(NEW_SECRET))!;

describe('ClientSecretRotation', () => {
  it('answers an expiry notice with one rotation call, however often it comes', async () => {
    const { rotation, rotate, expiries } = setup();
    expect(await rotation.handle(expiry, 'm-1')).toBe(true);
    expect(await rotation.handle(expiry, 'm-1')).toBe(true);
    expect(rotate).toHaveBeenCalledTimes(1);
    expect(expiries).toEqual([new Date('2025-04-01T00:00:00Z'), new Date('2025-04-01T00:00:00Z')]);
  });

  it('keeps the notice after a transient failure, so that the next receive tries again', async () => {
    const rotate = jest
      .fn()
      .mockRejectedValueOnce(new SpApiError('throttled', 'rotateApplicationClientSecret', 'QuotaExceeded'))
      .mockResolvedValueOnce(undefined);
    const { rotation } = setup({ rotate });
    expect(await rotation.handle(expiry, 'm-1')).toBe(false);
    expect(await rotation.handle(expiry, 'm-1')).toBe(true);
    expect(rotate).toHaveBeenCalledTimes(2);
  });

  it('checks the new secret with LWA, stores it, moves the gauge to its expiry and never logs it', async () => {
    const { rotation, check, written, expiries, lines } = setup();
    expect(await rotation.handle(issued, 'm-2')).toBe(true);
    expect(check).toHaveBeenCalledWith(NEW_SECRET);
    expect(written).toEqual([`${NEW_SECRET}\n`]);
    expect(expiries).toEqual([new Date('2025-09-04T10:15:02.117Z')]);
    expect(lines.map((line) => JSON.parse(line) as object)).toContainEqual(
      expect.objectContaining({ message: 'client secret rotated', expiresAt: '2025-09-04T10:15:02.117Z' }),
    );
    expect(lines.join('\n')).not.toContain(NEW_SECRET);
  });

  it('stores nothing that LWA refuses, and tells the operator by the old deadline', async () => {
    const check = jest.fn(() =>
      Promise.reject(new SpApiError('credential-refused', 'check', 'invalid_client', { credential: { kind: 'app' } })),
    );
    const { rotation, written, expiries, lines } = setup({ check });
    expect(await rotation.handle(issued, 'm-2')).toBe(true);
    expect(written).toEqual([]);
    expect(expiries).toEqual([new Date('2025-03-11T10:15:02.117Z')]);
    expect(lines.join('\n')).toContain('"level":"error"');
    expect(lines.join('\n')).not.toContain(NEW_SECRET);
  });

  it('with rotation off: no call, no write; both notices are errors that set the gauge', async () => {
    const { rotation, rotate, written, expiries, lines } = setup({ mode: 'off' });
    await rotation.handle(expiry, 'm-1');
    await rotation.handle(issued, 'm-2');
    expect(rotate).not.toHaveBeenCalled();
    expect(written).toEqual([]);
    expect(expiries).toEqual([new Date('2025-04-01T00:00:00Z'), new Date('2025-03-11T10:15:02.117Z')]);
    expect(lines.filter((line) => line.includes('"level":"error"'))).toHaveLength(2);
  });

  it('deletes a notice for another client ID without acting on it', async () => {
    const { rotation, rotate, written } = setup();
    const other = readApplicationNotification(
      newSecret(NEW_SECRET).replace(CLIENT_ID, 'amzn1.application-oa2-client.other'),
    )!;
    expect(await rotation.handle(other, 'm-3')).toBe(true);
    expect(rotate).not.toHaveBeenCalled();
    expect(written).toEqual([]);
  });
});
