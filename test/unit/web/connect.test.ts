import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileSecretStore } from '../../../src/config/secret-store';
import { sellersWebFromEnv } from '../../../src/web/from-env';
import { consentLink } from '../../../src/web/consent';
import { ConnectStates, STATE_LIFETIME_MS } from '../../../src/web/connect-states';
import { OperatorAccess, SESSION_COOKIE } from '../../../src/web/operator-access';
import { sellersPage } from '../../../src/web/page';
import { storeSellerAuthorization } from '../../../src/web/sellers-update';
import { createLogger } from '../../../src/logging';
import type { Client } from '@temporalio/client';

describe('ConnectStates', () => {
  it('takes a state once, within 10 minutes, and gives back its region', () => {
    let now = 0;
    const states = new ConnectStates(() => now);
    const first = states.issue('eu');
    expect(states.take(first)).toBe('eu');
    expect(states.take(first)).toBeUndefined();
    const late = states.issue('na');
    now += STATE_LIFETIME_MS;
    expect(states.take(late)).toBeUndefined();
    expect(states.take('made-up')).toBeUndefined();
    expect(states.take(null)).toBeUndefined();
    expect(states.issue('fe')).toMatch(/^[\w-]{32}$/);
  });
});

describe('consentLink', () => {
  it("goes to the region's Seller Central, with version=beta for a draft app", () => {
    const app = { applicationId: 'amzn1.sp.solution.x', beta: false };
    expect(consentLink(app, 'eu', 's1')).toBe(
      'https://sellercentral-europe.amazon.com/apps/authorize/consent?application_id=amzn1.sp.solution.x&state=s1',
    );
    expect(consentLink({ ...app, beta: true, consentUrl: 'http://127.0.0.1:8100/' }, 'na', 's2')).toBe(
      'http://127.0.0.1:8100/apps/authorize/consent?application_id=amzn1.sp.solution.x&state=s2&version=beta',
    );
  });
});

function request(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe('OperatorAccess', () => {
  it('is open without a token', () => {
    expect(new OperatorAccess(undefined).allows(request({}))).toBe(true);
  });

  it('takes the token as a bearer header, or the session cookie the sign-in started, and nothing else', () => {
    const access = new OperatorAccess('the-operator-token-123');
    expect(access.allows(request({}))).toBe(false);
    expect(access.allows(request({ authorization: 'Bearer the-operator-token-123' }))).toBe(true);
    expect(access.allows(request({ authorization: 'Bearer the-operator-token-12' }))).toBe(false);
    expect(access.allows(request({ cookie: `${SESSION_COOKIE}=guessed` }))).toBe(false);
    const session = access.startSession();
    expect(access.allows(request({ cookie: `other=1; ${SESSION_COOKIE}=${session}` }))).toBe(true);
  });
});

describe('storeSellerAuthorization', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sellers-update-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("replaces a known seller's token and keeps its settings; other sellers are untouched", async () => {
    const file = path.join(dir, 'sellers.json');
    writeFileSync(
      file,
      JSON.stringify({
        A1KNOWN: { refreshToken: 'Atzr|old', marketplaces: ['ATVPDKIKX0DER'], paused: true },
        A2OTHER: 'Atzr|other',
      }),
    );
    const store = fileSecretStore('SPAPI_SELLERS_FILE', file);
    const at = new Date('2026-12-06T10:00:00Z');
    expect(await storeSellerAuthorization(store, 'A1KNOWN', 'Atzr|new', at)).toEqual({ known: true });
    expect(await storeSellerAuthorization(store, 'A3NEW', 'Atzr|third', at)).toEqual({ known: false });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      A1KNOWN: {
        refreshToken: 'Atzr|new',
        marketplaces: ['ATVPDKIKX0DER'],
        paused: true,
        authorizedAt: at.toISOString(),
      },
      A2OTHER: 'Atzr|other',
      A3NEW: { refreshToken: 'Atzr|third', authorizedAt: at.toISOString() },
    });
  });

  it('starts a store that does not exist yet, and never quotes a broken one', async () => {
    const file = path.join(dir, 'new.json');
    await storeSellerAuthorization(fileSecretStore('SPAPI_SELLERS_FILE', file), 'A1', 'Atzr|x', new Date(0));
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object)).toEqual(['A1']);
    writeFileSync(file, '{"A1": "Atzr|SECRET-token-in-broken-json",');
    const failure = await storeSellerAuthorization(
      fileSecretStore('SPAPI_SELLERS_FILE', file),
      'A2',
      'Atzr|y',
      new Date(0),
    ).catch((error: Error) => error.message);
    expect(failure).toBe(`SPAPI_SELLERS_FILE ${file} is not valid JSON`);
  });
});

describe('sellersPage', () => {
  it('escapes what it shows and names the sellers due within 30 days', () => {
    const html = sellersPage({
      sellers: [
        {
          sellerId: 'A1<script>',
          regions: ['na'],
          marketplaces: ['ATVPDKIKX0DER'],
          paused: false,
          reauthorizationDue: new Date('2026-12-20T00:00:00Z'),
          dueSoon: true,
          orders: undefined,
        },
      ],
      connectRegions: [],
      cannotConnect: "Connecting sellers needs the app's ID in SPAPI_APPLICATION_ID.",
      now: new Date('2026-12-06T00:00:00Z'),
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('Re-authorization due within 30 days: <strong>A1&#60;script&#62;</strong> (2026-12-20)');
    expect(html).toContain('SPAPI_APPLICATION_ID');
  });
});

describe('sellersWebFromEnv', () => {
  const deps = { client: {} as Client, namespace: 'default', taskQueue: 'q', logger: createLogger('error') };

  it.each([
    ['WEB_TOKEN: is required when WEB_ADDRESS is not a loopback address', { WEB_ADDRESS: '0.0.0.0:8300' }],
    ['WEB_TOKEN: must be at least 16 characters', { WEB_TOKEN: 'short' }],
    [
      'SPAPI_CONSENT_URL: must be an https URL (plain http only to a loopback address such as 127.0.0.1)',
      { SPAPI_CONSENT_URL: 'http://consent.example.com' },
    ],
    ["SPAPI_AUTHORIZE_BETA: must be 'true' or 'false'", { SPAPI_AUTHORIZE_BETA: 'yes' }],
  ])('refuses with one line naming the variable: %s', (message, env) => {
    expect(() => sellersWebFromEnv(env, deps)).toThrow(message);
  });

  it('listens on loopback without a token, and derives the redirect URI from the public URL', () => {
    expect(sellersWebFromEnv({}, deps)).toMatchObject({
      host: '127.0.0.1',
      port: 8300,
      publicUrl: 'http://127.0.0.1:8300',
    });
    expect(
      sellersWebFromEnv(
        { WEB_ADDRESS: '0.0.0.0:8300', WEB_TOKEN: 'x'.repeat(32), WEB_PUBLIC_URL: 'https://sellers.example.com' },
        deps,
      ),
    ).toMatchObject({ host: '0.0.0.0', publicUrl: 'https://sellers.example.com', token: 'x'.repeat(32) });
  });
});
