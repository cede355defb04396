import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../../../src/logging';
import { startSpApiSimulator, type SpApiSimulator } from '../../../src/simulator';
import { SpApiError } from '../../../src/spapi/errors';
import {
  DEFAULT_LWA_ENDPOINT,
  sellersFromEnv,
  spApiClientsFromEnv,
  spApiConfigFromEnv,
} from '../../../src/spapi/from-env';
import { MARKETPLACE } from '../../helpers/spapi';
import { ConfigError } from '../../../src/errors';

const CLIENT_SECRET = 'SECRET-client-7f3a';
const REFRESH_ONE = 'Atzr|SECRET-refresh-one-91c2';
const REFRESH_TWO = 'Atzr|SECRET-refresh-two-44d0';
const base = { LWA_CLIENT_ID: 'amzn1.application-oa2-client.test', LWA_CLIENT_SECRET: CLIENT_SECRET };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'spapi-env-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
}

function configError(env: Record<string, string>): string {
  try {
    spApiConfigFromEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('spApiConfigFromEnv', () => {
  it('reads the app credentials, one refresh token and the endpoints, with the LWA default', () => {
    const config = spApiConfigFromEnv({ ...base, LWA_REFRESH_TOKEN: REFRESH_ONE, UNRELATED: 'x' });
    expect(config).toMatchObject({
      lwaClientId: base.LWA_CLIENT_ID,
      lwaClientSecret: CLIENT_SECRET,
      lwaEndpoint: DEFAULT_LWA_ENDPOINT,
      spApiEndpoint: undefined,
    });
    // With one refresh token, every seller ID is that seller.
    expect(config.sellers.has('ANY-SELLER')).toBe(true);
    expect(config.sellers.refreshTokenFor('ANY-SELLER', 'op')).toBe(REFRESH_ONE);
    // A refresh token does not say whose it is.
    expect(config.sellers.sellerIds).toBeUndefined();
  });

  it.each([
    ['LWA_CLIENT_ID: is required', { LWA_CLIENT_SECRET: CLIENT_SECRET, LWA_REFRESH_TOKEN: REFRESH_ONE }],
    [
      'LWA_CLIENT_SECRET: is required (or LWA_CLIENT_SECRET_FILE)',
      { LWA_CLIENT_ID: 'id', LWA_REFRESH_TOKEN: REFRESH_ONE },
    ],
    [
      'LWA_CLIENT_SECRET_FILE: set either it or LWA_CLIENT_SECRET, not both',
      { ...base, LWA_REFRESH_TOKEN: REFRESH_ONE, LWA_CLIENT_SECRET_FILE: '/secret' },
    ],
    ['LWA_REFRESH_TOKEN: is required (or SPAPI_SELLERS_FILE for several sellers)', base],
    [
      'SPAPI_SELLERS_FILE: set either it or LWA_REFRESH_TOKEN, not both',
      { ...base, LWA_REFRESH_TOKEN: REFRESH_ONE, SPAPI_SELLERS_FILE: '/x.json' },
    ],
    [
      'LWA_ENDPOINT: must be an http(s) URL',
      { ...base, LWA_REFRESH_TOKEN: REFRESH_ONE, LWA_ENDPOINT: 'api.amazon.com' },
    ],
    ['SPAPI_ENDPOINT: must be an http(s) URL', { ...base, LWA_REFRESH_TOKEN: REFRESH_ONE, SPAPI_ENDPOINT: 'ftp://x' }],
    // A client secret and refresh tokens go to these: never in clear across a network.
    [
      'LWA_ENDPOINT: must be an https URL (plain http only to a loopback address such as 127.0.0.1)',
      { ...base, LWA_REFRESH_TOKEN: REFRESH_ONE, LWA_ENDPOINT: 'http://api.amazon.com/auth/o2/token' },
    ],
    [
      'SPAPI_ENDPOINT: must be an https URL (plain http only to a loopback address such as 127.0.0.1)',
      { ...base, LWA_REFRESH_TOKEN: REFRESH_ONE, SPAPI_ENDPOINT: 'http://10.0.0.5:8100' },
    ],
    [
      'SPAPI_ENDPOINT: must be an https URL (plain http only to a loopback address such as 127.0.0.1)',
      { ...base, LWA_REFRESH_TOKEN: REFRESH_ONE, SPAPI_ENDPOINT: 'http://127.0.0.1.example.com' },
    ],
  ])('refuses with one line naming the variable: %s', (message, env) => {
    expect(configError(env)).toBe(message);
  });

  it('reads SPAPI_SELLERS_FILE, and holds only the sellers it lists', () => {
    const sellers = file('sellers.json', JSON.stringify({ A1ONE: REFRESH_ONE, A2TWO: REFRESH_TWO }));
    const config = spApiConfigFromEnv({ ...base, SPAPI_SELLERS_FILE: sellers });
    expect(config.sellers.has('A2TWO')).toBe(true);
    expect(config.sellers.refreshTokenFor('A2TWO', 'op')).toBe(REFRESH_TWO);
    expect(config.sellers.has('A3OTHER')).toBe(false);
    expect(config.sellers.sellerIds).toEqual(['A1ONE', 'A2TWO']);
    // Ingest asks which sellers are held without holding the app's credentials.
    expect(sellersFromEnv({ SPAPI_SELLERS_FILE: sellers }).has('A1ONE')).toBe(true);
    expect(() => config.sellers.refreshTokenFor('A3OTHER', 'getSolicitationActionsForOrder')).toThrow(
      new SpApiError(
        'seller-not-configured',
        'getSolicitationActionsForOrder',
        'seller A3OTHER is not in SPAPI_SELLERS_FILE. Add it with its refresh token; its orders resume by themselves',
      ),
    );
  });

  it('refuses a sellers file it cannot use without quoting it', () => {
    const missing = path.join(dir, 'missing.json');
    expect(configError({ ...base, SPAPI_SELLERS_FILE: missing })).toBe(
      `SPAPI_SELLERS_FILE: cannot read ${missing} (ENOENT)`,
    );
    const broken = file('broken.json', `{ "A1ONE": ${REFRESH_ONE} }`);
    expect(configError({ ...base, SPAPI_SELLERS_FILE: broken })).toBe(
      `SPAPI_SELLERS_FILE: ${broken} is not valid JSON`,
    );
    for (const content of [
      '[]',
      '{}',
      `{"A1ONE": 7}`,
      `{"A1ONE": ""}`,
      `{"A1ONE": " "}`,
      `{"A1ONE": {"refreshToken": "${REFRESH_ONE}", "pause": true}}`,
      `{"A1ONE": {"marketplaces": ["ATVPDKIKX0DER"]}}`,
    ]) {
      const wrong = file('wrong.json', content);
      expect(configError({ ...base, SPAPI_SELLERS_FILE: wrong })).toBe(
        `SPAPI_SELLERS_FILE: ${wrong} must be a JSON object mapping each seller ID to its refresh token or to ` +
          '{ "refreshToken", "marketplaces"?, "paused"?, "authorizedAt"? }',
      );
    }
    const typo = file('typo.json', `{"A1ONE": {"refreshToken": "${REFRESH_ONE}", "marketplaces": ["ATVPDKIKX0DR"]}}`);
    expect(configError({ ...base, SPAPI_SELLERS_FILE: typo })).toBe(
      `SPAPI_SELLERS_FILE: ${typo} gives seller A1ONE the marketplace 'ATVPDKIKX0DR', not one of Amazon's marketplace IDs`,
    );
  });
});

describe('SP-API clients from the environment, against the simulator', () => {
  let sim: SpApiSimulator;
  const order = (sellerId: string, amazonOrderId: string) => ({ amazonOrderId, marketplaceId: MARKETPLACE, sellerId });

  beforeEach(async () => {
    sim = await startSpApiSimulator({
      clientSecret: CLIENT_SECRET,
      sellers: { A1ONE: REFRESH_ONE, A2TWO: REFRESH_TWO },
    });
    const window = { marketplaceId: MARKETPLACE, earliestDeliveryDate: new Date(Date.now() - 10 * 86_400_000) };
    const latest = { latestDeliveryDate: new Date(Date.now() - 8 * 86_400_000) };
    sim.addOrder({ amazonOrderId: '111-0000000-0000001', sellerId: 'A1ONE', ...window, ...latest });
    sim.addOrder({ amazonOrderId: '222-0000000-0000002', sellerId: 'A2TWO', ...window, ...latest });
  });
  afterEach(() => sim.close());

  it("acts for each seller of SPAPI_SELLERS_FILE with that seller's token, and never for another", async () => {
    const sellers = file('two.json', JSON.stringify({ A1ONE: REFRESH_ONE, A2TWO: REFRESH_TWO }));
    const { solicitations } = spApiClientsFromEnv({ ...sim.env(), LWA_REFRESH_TOKEN: '', SPAPI_SELLERS_FILE: sellers });
    await solicitations.createProductReviewAndSellerFeedbackSolicitation(order('A1ONE', '111-0000000-0000001'));
    await solicitations.createProductReviewAndSellerFeedbackSolicitation(order('A2TWO', '222-0000000-0000002'));
    await expect(
      solicitations.createProductReviewAndSellerFeedbackSolicitation(order('A3OTHER', '111-0000000-0000001')),
    ).rejects.toMatchObject({ kind: 'seller-not-configured', details: { credential: { sellerId: 'A3OTHER' } } });
    expect(sim.tokenRequests.map((request) => request.sellerId)).toEqual(['A1ONE', 'A2TWO']);
    expect(sim.solicitations.map((sent) => sent.sellerId)).toEqual(['A1ONE', 'A2TWO']);
    expect(sim.requests).toHaveLength(2);
  });

  it('takes every seller ID as the seller of a single LWA_REFRESH_TOKEN', async () => {
    const { solicitations } = spApiClientsFromEnv({ ...sim.env(), LWA_REFRESH_TOKEN: REFRESH_ONE });
    await solicitations.createProductReviewAndSellerFeedbackSolicitation(order('SOME-ID', '111-0000000-0000001'));
    expect(sim.solicitations).toEqual([expect.objectContaining({ sellerId: 'A1ONE' })]);
  });
});

describe('secrets', () => {
  it('never reach the logs or the thrown errors', async () => {
    const lines: string[] = [];
    const logger = createLogger('debug', (line) => lines.push(line));
    const texts: string[] = [];
    const accessTokens = new Set<string>();
    const recordingFetch: typeof fetch = (input, init) => {
      const token = new Headers(init?.headers).get('x-amz-access-token');
      if (token) accessTokens.add(token);
      return fetch(input, init);
    };
    const remember = (error: unknown) => {
      expect(error).toBeInstanceOf(Error);
      const { message, stack, cause } = error as Error;
      texts.push(message, stack ?? '', String(cause), JSON.stringify((error as SpApiError).details ?? {}));
    };
    const attempt = (promise: Promise<unknown>) => promise.then(() => undefined, remember);

    const sim = await startSpApiSimulator({ clientSecret: CLIENT_SECRET, sellers: { A1ONE: REFRESH_ONE } });
    try {
      const ref = { amazonOrderId: '111-0000000-0000001', marketplaceId: MARKETPLACE, sellerId: 'A1ONE' };
      sim.addOrder({
        ...ref,
        earliestDeliveryDate: '2020-01-01T00:00:00Z',
        latestDeliveryDate: '2020-01-05T00:00:00Z',
      });
      const options = { logger, fetch: recordingFetch };
      const { solicitations, notifications } = spApiClientsFromEnv(sim.env(), options);

      await attempt(solicitations.getSolicitationActionsForOrder(ref));
      await attempt(solicitations.createProductReviewAndSellerFeedbackSolicitation(ref)); // outside the window
      sim.expireAccessTokens();
      await attempt(notifications.getDestinations({ region: 'na' }));
      await attempt(solicitations.getSolicitationActionsForOrder(ref)); // refreshed after a 403
      sim.injectFailures(1, { status: 429 });
      await attempt(solicitations.getSolicitationActionsForOrder(ref));
      sim.injectFailures(1, { status: 500 });
      await attempt(solicitations.getSolicitationActionsForOrder(ref));
      sim.revokeOrderAuthorization(ref.amazonOrderId);
      await attempt(solicitations.getSolicitationActionsForOrder(ref));
      sim.revokeSeller('A1ONE');
      await attempt(solicitations.getSolicitationActionsForOrder(ref));

      const wrongSecret = 'SECRET-wrong-5be1';
      const wrong = spApiClientsFromEnv({ ...sim.env(), LWA_CLIENT_SECRET: wrongSecret }, options);
      await attempt(wrong.notifications.getDestinations({ region: 'na' }));
      const unreachable = spApiClientsFromEnv(
        { ...sim.env(), LWA_ENDPOINT: 'http://127.0.0.1:9/auth/o2/token' },
        options,
      );
      await attempt(unreachable.solicitations.getSolicitationActionsForOrder(ref));
      const sellers = file('secrets.json', `{"A1ONE": ${REFRESH_ONE}}`);
      try {
        spApiClientsFromEnv({ ...sim.env(), LWA_REFRESH_TOKEN: '', SPAPI_SELLERS_FILE: sellers });
      } catch (error) {
        remember(error);
      }

      expect(texts.length).toBeGreaterThanOrEqual(7 * 4);
      expect(lines.length).toBeGreaterThan(5);
      expect(accessTokens.size).toBeGreaterThanOrEqual(3);
      const secrets = [CLIENT_SECRET, REFRESH_ONE, wrongSecret, ...accessTokens];
      const everything = [...texts, ...lines].join('\n');
      for (const secret of secrets)
        expect({ secret, found: everything.includes(secret) }).toEqual({ secret, found: false });
    } finally {
      await sim.close();
    }
  });
});

describe('an endpoint in plain http', () => {
  it.each(['http://127.0.0.1:8100', 'http://127.8.9.1', 'http://localhost:8100', 'http://[::1]:8100'])(
    'is taken on the loopback address %s',
    (endpoint) => {
      const config = spApiConfigFromEnv({
        LWA_CLIENT_ID: 'id',
        LWA_CLIENT_SECRET: 'secret',
        LWA_REFRESH_TOKEN: 'Atzr|one',
        LWA_ENDPOINT: `${endpoint}/auth/o2/token`,
        SPAPI_ENDPOINT: endpoint,
      });
      expect(config.spApiEndpoint).toBe(endpoint);
    },
  );
});
