import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from '../../../src/logging';
import { startSpApiSimulator, type SpApiSimulator } from '../../../src/simulator';
import { sellersFromEnv, spApiClientsFromEnv } from '../../../src/spapi/from-env';
import { eventually } from '../../helpers/eventually';
import { MARKETPLACE } from '../../helpers/spapi';

/**
 * LWA_CLIENT_SECRET_FILE and SPAPI_SELLERS_FILE are real files rewritten while the clients run: the
 * change is taken without a restart, and a file that does not parse leaves the last good one in force.
 */
const CLIENT_SECRET = 'SECRET-client-rotated-5e1b';
const REFRESH_ONE = 'Atzr|SECRET-refresh-one-91c2';
const REFRESH_TWO = 'Atzr|SECRET-refresh-two-44d0';

// Each change is taken at the next look, up to LIVE_FILE_CHECK_MS later.
jest.setTimeout(20_000);

let dir: string;
let sim: SpApiSimulator;
let errors: string[];
let logger: Logger;

/** Waits until a bad file has been reported: the last good one stays in force meanwhile. */
const reported = (what: string) =>
  eventually(
    what,
    () => Promise.resolve(errors.length),
    (count) => count > 0,
    10_000,
  );

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'live-credentials-'));
  // One logger per test: the files of an earlier test are still looked at, and gone.
  const lines: string[] = [];
  errors = lines;
  logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (message, fields) => lines.push(`${message} ${JSON.stringify(fields)}`),
  };
  sim = await startSpApiSimulator({ clientSecret: CLIENT_SECRET, sellers: { A1ONE: REFRESH_ONE, A2TWO: REFRESH_TWO } });
  const window = { marketplaceId: MARKETPLACE, earliestDeliveryDate: new Date(Date.now() - 10 * 86_400_000) };
  const latest = { latestDeliveryDate: new Date(Date.now() - 8 * 86_400_000) };
  sim.addOrder({ amazonOrderId: '111-0000000-0000001', sellerId: 'A1ONE', ...window, ...latest });
  sim.addOrder({ amazonOrderId: '222-0000000-0000002', sellerId: 'A2TWO', ...window, ...latest });
});
afterEach(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string): string {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
}

const order = (sellerId: string, amazonOrderId: string) => ({ amazonOrderId, marketplaceId: MARKETPLACE, sellerId });
const kindOf = (call: Promise<unknown>) =>
  call.then(
    () => 'ok',
    (error: { kind: string }) => error.kind,
  );

it('takes a rotated client secret from LWA_CLIENT_SECRET_FILE without a restart, trimmed', async () => {
  const secretFile = file('secret', 'SECRET-client-expired-0000\n');
  const sellersFile = file('sellers.json', JSON.stringify({ A1ONE: REFRESH_ONE }));
  const env = { ...sim.env(), LWA_CLIENT_SECRET: '', LWA_REFRESH_TOKEN: '' };
  const { solicitations } = spApiClientsFromEnv(
    { ...env, LWA_CLIENT_SECRET_FILE: secretFile, SPAPI_SELLERS_FILE: sellersFile },
    { logger },
  );
  const get = () => kindOf(solicitations.getSolicitationActionsForOrder(order('A1ONE', '111-0000000-0000001')));
  await expect(
    solicitations.getSolicitationActionsForOrder(order('A1ONE', '111-0000000-0000001')),
  ).rejects.toMatchObject({
    kind: 'credential-refused',
    details: { code: 'invalid_client', credential: { kind: 'app' } },
  });
  writeFileSync(secretFile, `  ${CLIENT_SECRET}\n`);
  await eventually('the rotated secret taken', get, (kind) => kind === 'ok', 10_000);
  // A rewrite that is empty keeps the last good secret in force, and says so once.
  writeFileSync(secretFile, '\n');
  await reported('the empty file reported');
  expect(await get()).toBe('ok');
  expect(errors).toEqual([expect.stringContaining('LWA_CLIENT_SECRET_FILE changed but cannot be used')]);
  expect(errors.join()).toContain(`${secretFile} is empty`);
  expect(errors.join()).not.toContain('SECRET-client');
});

it('takes an edited SPAPI_SELLERS_FILE without a restart: object form, paused, a new seller', async () => {
  const sellersFile = file('sellers.json', JSON.stringify({ A1ONE: { refreshToken: REFRESH_ONE, paused: true } }));
  const env = { ...sim.env(), LWA_REFRESH_TOKEN: '', SPAPI_SELLERS_FILE: sellersFile };
  const { solicitations } = spApiClientsFromEnv(env, { logger });
  const ingestSellers = sellersFromEnv({ SPAPI_SELLERS_FILE: sellersFile }, { logger });
  const one = () => kindOf(solicitations.getSolicitationActionsForOrder(order('A1ONE', '111-0000000-0000001')));
  const two = () => kindOf(solicitations.getSolicitationActionsForOrder(order('A2TWO', '222-0000000-0000002')));
  expect(await one()).toBe('seller-paused');
  expect(await two()).toBe('seller-not-configured');
  expect(ingestSellers.has('A1ONE')).toBe(true);
  expect(ingestSellers.has('A2TWO')).toBe(false);
  expect(sim.tokenRequests).toHaveLength(0);

  writeFileSync(
    sellersFile,
    JSON.stringify({
      A1ONE: { refreshToken: ` ${REFRESH_ONE}\n` },
      A2TWO: { refreshToken: REFRESH_TWO, marketplaces: [MARKETPLACE] },
    }),
  );
  await eventually('the edited file taken', two, (kind) => kind === 'ok', 10_000);
  expect(await one()).toBe('ok');
  expect(ingestSellers.has('A2TWO')).toBe(true);
  expect(ingestSellers.marketplacesFor('A2TWO')).toEqual([MARKETPLACE]);
  expect(ingestSellers.sellerIds).toEqual(['A1ONE', 'A2TWO']);

  // A file that does not parse: the last good one stays in force, reported once.
  writeFileSync(sellersFile, `{ "A1ONE": ${REFRESH_ONE}`);
  await reported('the broken file reported');
  expect(await two()).toBe('ok');
  expect(ingestSellers.has('A2TWO')).toBe(true);
  expect(errors.join()).toContain(`${sellersFile} is not valid JSON`);
  expect(errors.join()).not.toContain('SECRET-refresh');
});
