import type { ApplicationFailure } from '@temporalio/common';
import { toApplicationFailure } from '../../../src/activities/failures';
import { freePort } from '../../../src/local/processes';
import { createSpApiClients } from '../../../src/spapi/clients';
import { type SpApiError } from '../../../src/spapi/errors';
import { scrubSecrets } from '../../../src/spapi/scrub';
import { singleSeller } from '../../../src/spapi/sellers';
import { spApiErrorOf } from '../../helpers/spapi';

/** Node's fetch quotes what it refuses; none of it may reach an error of this product. */
const LWA = 'https://lwa.test/auth/o2/token';
const BAD_TOKEN = 'Atza|SECRET-access-token\nsmuggled';
const order = { amazonOrderId: '111-0000000-0000001', marketplaceId: 'ATVPDKIKX0DER', sellerId: 'A1SELLER' };

function clients(spApiEndpoint: string, accessToken: string, lwaEndpoint = LWA) {
  const fetchThrough = (url: string, init?: RequestInit): Promise<Response> =>
    url === LWA ? Promise.resolve(Response.json({ access_token: accessToken, expires_in: 3600 })) : fetch(url, init);
  return createSpApiClients(
    {
      lwaClientId: 'id',
      lwaClientSecret: 'SECRET-client',
      lwaEndpoint,
      spApiEndpoint,
      sellers: singleSeller('Atzr|SECRET-refresh'),
    },
    { fetch: fetchThrough as typeof fetch },
  );
}

/** Everything of the error that could be logged or put in a history. */
function everything(error: SpApiError): string {
  const failure: ApplicationFailure = toApplicationFailure(error);
  return [
    error.message,
    error.reason,
    String(error.stack),
    JSON.stringify(error.details),
    String(error.cause),
    failure.message,
  ].join('\n');
}

describe('secrets in the errors of fetch', () => {
  it("never carry an access token that is not a valid header value, though fetch's message quotes it", async () => {
    // Node's own wording, so that the test fails if the scrubbing stops matching it.
    await expect(fetch('http://127.0.0.1:1/', { headers: { 'x-amz-access-token': BAD_TOKEN } })).rejects.toThrow(
      BAD_TOKEN,
    );
    const error = await spApiErrorOf(
      clients(`http://127.0.0.1:${await freePort()}`, BAD_TOKEN).solicitations.getSolicitationActionsForOrder(order),
    );
    expect(error.kind).toBe('transient');
    expect(error.message).toContain('is an invalid header value');
    expect(everything(error)).not.toContain('SECRET');
  });

  it('never carry the credentials of an endpoint URL', async () => {
    const endpoint = `http://user:SECRET-password@127.0.0.1:${await freePort()}`;
    await expect(fetch(`${endpoint}/x`)).rejects.toThrow('SECRET-password');
    const error = await spApiErrorOf(
      clients(endpoint, 'Atza|fine').solicitations.getSolicitationActionsForOrder(order),
    );
    expect(error.message).toContain('http://[redacted]@127.0.0.1');
    expect(everything(error)).not.toContain('SECRET');

    const lwaEndpoint = `https://app:SECRET-password@lwa.example/auth/o2/token`;
    const lwa = clients('https://spapi.test', 'Atza|fine', lwaEndpoint);
    const lwaError = await spApiErrorOf(lwa.solicitations.getSolicitationActionsForOrder(order));
    expect(lwaError.message).toContain('LWA token request failed');
    expect(everything(lwaError)).not.toContain('SECRET');
  });
});

describe('scrubSecrets', () => {
  it.each([
    [
      'Headers.append: "Atza|x\ny" is an invalid header value.',
      [],
      'Headers.append: "[redacted]" is an invalid header value.',
    ],
    [
      'cannot reach https://a:b@host/p and ftp://c@d',
      [],
      'cannot reach https://[redacted]@host/p and ftp://[redacted]@d',
    ],
    ['said SECRET-client and SECRET%7Cx', ['SECRET-client', 'SECRET|x'], 'said [redacted] and [redacted]'],
    ['nothing to hide at https://host/path?q=1', [], 'nothing to hide at https://host/path?q=1'],
  ])('scrubs %j', (text, secrets, expected) => {
    expect(scrubSecrets(text, secrets)).toBe(expected);
  });
});
