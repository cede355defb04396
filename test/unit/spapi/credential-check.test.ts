import type { Logger } from '../../../src/logging';
import { startSpApiSimulator, type SpApiSimulator } from '../../../src/simulator';
import { createSpApiClients } from '../../../src/spapi/clients';
import { checkCredentialsAtStart } from '../../../src/spapi/credential-check';
import { sellersOf } from '../../helpers/spapi';

let sim: SpApiSimulator;
afterEach(() => sim.close());

function recordingLogger() {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    lines.push({ level, message, fields });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

it('asks LWA once per configured seller at start, with one error line per refused one', async () => {
  sim = await startSpApiSimulator({ sellers: { A1ONE: 'Atzr|one', A2TWO: 'Atzr|two', A3THREE: 'Atzr|three' } });
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
