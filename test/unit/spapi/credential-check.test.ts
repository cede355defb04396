import type { Logger } from '../../../src/logging';
import { startSpApiSimulator, type SpApiSimulator } from '../../../src/simulator';
import { createSpApiClients } from '../../../src/spapi/clients';
import { CREDENTIAL_CHECK_CONCURRENCY, checkCredentialsAtStart } from '../../../src/spapi/credential-check';
import { startRecordingLwa } from '../../helpers/recording-lwa';
import { sellersOf } from '../../helpers/spapi';

const simulators: SpApiSimulator[] = [];
afterEach(async () => {
  await Promise.all(simulators.splice(0).map((sim) => sim.close()));
});

function recordingLogger() {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    lines.push({ level, message, fields });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

it('asks LWA once per configured seller at start, with one error line per refused one', async () => {
  const sim = await startSpApiSimulator({ sellers: { A1ONE: 'Atzr|one', A2TWO: 'Atzr|two', A3THREE: 'Atzr|three' } });
  simulators.push(sim);
  sim.revokeSeller('A2TWO');
  const sellers = sellersOf({
    A1ONE: 'Atzr|one',
    A2TWO: 'Atzr|two',
    A3THREE: { refreshToken: 'Atzr|three', paused: true },
  });
  const refusals: string[] = [];
  const clients = createSpApiClients(
    {
      lwaClientId: sim.clientId,
      lwaClientSecret: sim.clientSecret,
      lwaEndpoint: sim.lwaUrl,
      spApiEndpoint: sim.url,
      sellers,
    },
    { observeRefusal: (owner) => refusals.push(owner.kind === 'app' ? 'app' : owner.sellerId) },
  );
  const { logger, lines } = recordingLogger();
  await expect(checkCredentialsAtStart(clients.lwa, sellers, logger)).resolves.toEqual({ refused: ['A2TWO'] });
  // The paused seller is not asked for.
  expect(sim.tokenRequests.map(({ status }) => status).sort()).toEqual([200, 400]);
  // The token is kept for the first call.
  await clients.lwa.accessToken({ type: 'refresh_token', refreshToken: 'Atzr|one', sellerId: 'A1ONE' }, 'op');
  expect(sim.tokenRequests).toHaveLength(2);
  expect(refusals).toEqual(['A2TWO']);
  const errors = lines.filter((line) => line.level === 'error');
  expect(errors).toEqual([
    {
      level: 'error',
      message: 'credential refused: the orders of this seller wait blocked',
      fields: { sellerId: 'A2TWO', reason: expect.stringContaining("LWA refused seller A2TWO's authorization") },
    },
  ]);
  expect(lines).toContainEqual(expect.objectContaining({ level: 'info', fields: { sellerId: 'A3THREE' } }));
  expect(JSON.stringify(lines)).not.toContain('Atzr|');
});

it('asks LWA for thousands of sellers at most 16 at a time, once each, and keeps the tokens', async () => {
  const lwa = await startRecordingLwa(5);
  try {
    const ids = Array.from({ length: 400 }, (_, i) => `A${String(i).padStart(4, '0')}`);
    const sellers = sellersOf(Object.fromEntries(ids.map((id) => [id, `Atzr|${id}`])));
    const clients = createSpApiClients({
      lwaClientId: 'amzn1.application-oa2-client.test',
      lwaClientSecret: 'secret',
      lwaEndpoint: lwa.url,
      sellers,
    });
    const { logger, lines } = recordingLogger();
    await expect(checkCredentialsAtStart(clients.lwa, sellers, logger)).resolves.toEqual({ refused: [] });
    expect(lwa.maxInFlight).toBe(CREDENTIAL_CHECK_CONCURRENCY);
    expect(lwa.requests.size).toBe(400);
    expect([...lwa.requests.values()].every((count) => count === 1)).toBe(true);
    await clients.lwa.accessToken({ type: 'refresh_token', refreshToken: 'Atzr|A0123', sellerId: 'A0123' }, 'op');
    expect(lwa.requests.get('Atzr|A0123')).toBe(1);
    expect(lines).toEqual([]);
  } finally {
    await lwa.close();
  }
});

it('stops asking once its signal is aborted', async () => {
  const lwa = await startRecordingLwa(5);
  try {
    const ids = Array.from({ length: 200 }, (_, i) => `A${i}`);
    const sellers = sellersOf(Object.fromEntries(ids.map((id) => [id, `Atzr|${id}`])));
    const clients = createSpApiClients({
      lwaClientId: 'amzn1.application-oa2-client.test',
      lwaClientSecret: 'secret',
      lwaEndpoint: lwa.url,
      sellers,
    });
    const stop = new AbortController();
    const checked = checkCredentialsAtStart(clients.lwa, sellers, recordingLogger().logger, { signal: stop.signal });
    stop.abort();
    await checked;
    expect(lwa.requests.size).toBeLessThanOrEqual(CREDENTIAL_CHECK_CONCURRENCY);
  } finally {
    await lwa.close();
  }
});
