import { startSpApiSimulator, type SpApiSimulator } from '../../../src/simulator';
import { SECOND, manualClock } from '../../helpers/clock';

const MARKETPLACE = 'ATVPDKIKX0DER';
let clock: ReturnType<typeof manualClock>;
let sim: SpApiSimulator;
const tokens: Record<string, string> = {};

beforeEach(async () => {
  clock = manualClock('2026-03-10T12:00:00Z');
  sim = await startSpApiSimulator({ now: clock.now, sellers: { A1ONE: 'Atzr|one', A2TWO: 'Atzr|two' } });
  for (const [sellerId, refreshToken] of [
    ['A1ONE', 'Atzr|one'],
    ['A2TWO', 'Atzr|two'],
  ] as const) {
    const response = await fetch(sim.lwaUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: sim.clientId,
        client_secret: sim.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      }),
    });
    tokens[sellerId] = ((await response.json()) as { access_token: string }).access_token;
    sim.addOrder({
      amazonOrderId: `order-${sellerId}`,
      sellerId,
      marketplaceId: MARKETPLACE,
      earliestDeliveryDate: '2026-03-01T00:00:00Z',
      latestDeliveryDate: '2026-03-03T00:00:00Z',
    });
  }
});
afterEach(() => sim.close());

/** Statuses of `count` calls of one operation by one seller, all at the same instant of the clock. */
async function burst(sellerId: string, operation: 'check' | 'send', count: number): Promise<number[]> {
  const order = `/solicitations/v1/orders/order-${sellerId}`;
  const path = operation === 'check' ? order : `${order}/solicitations/productReviewAndSellerFeedback`;
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${sim.url}${path}?marketplaceIds=${MARKETPLACE}`, {
      method: operation === 'check' ? 'GET' : 'POST',
      headers: { 'x-amz-access-token': tokens[sellerId]! },
    });
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  return statuses;
}

const throttled = (statuses: number[]) => statuses.filter((status) => status === 429).length;

describe("the simulator's usage plans (1 request/s, burst 5, per seller and Solicitations operation)", () => {
  it('lets 5 calls of one seller and operation through at once and answers the 6th with 429', async () => {
    const statuses = await burst('A1ONE', 'check', 6);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses[5]).toBe(429);
  });

  it("keeps one seller's bucket apart from another seller's and from its other operation", async () => {
    expect(throttled(await burst('A1ONE', 'check', 7))).toBe(2);
    // The first send succeeds, the next four find the order solicited: none of the five is throttled.
    expect(throttled(await burst('A1ONE', 'send', 5))).toBe(0);
    expect(throttled(await burst('A2TWO', 'check', 5))).toBe(0);
    expect(throttled(await burst('A1ONE', 'send', 1))).toBe(1);
  });

  it('refills a bucket at 1 request/s up to the burst', async () => {
    expect(throttled(await burst('A1ONE', 'check', 5))).toBe(0);
    clock.advance(2 * SECOND);
    expect(await burst('A1ONE', 'check', 3)).toEqual([200, 200, 429]);
    clock.advance(60 * SECOND);
    expect(throttled(await burst('A1ONE', 'check', 6))).toBe(1);
  });

  it('announces the rate it applies with every answer, 429 or not', async () => {
    const response = await fetch(`${sim.url}/solicitations/v1/orders/order-A2TWO?marketplaceIds=${MARKETPLACE}`, {
      headers: { 'x-amz-access-token': tokens.A2TWO! },
    });
    await response.arrayBuffer();
    expect(response.headers.get('x-amzn-ratelimit-limit')).toBe('1');
  });
});
