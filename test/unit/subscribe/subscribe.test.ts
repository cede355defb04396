import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SIMULATOR_SELLER_ID, type SpApiSimulator } from '../../../src/simulator';
import type { SpApiClients } from '../../../src/spapi/clients';
import {
  changedAnything,
  differenceFromWanted,
  subscribe,
  subscribedAll,
  type SubscribeOptions,
  type SubscribeSeller,
} from '../../../src/subscribe/subscribe';
import { simulatorWithClients } from '../../helpers/spapi';

const ARN = 'arn:aws:sqs:us-east-1:123456789012:order-change';
const WANTED_DIRECTIVE = { eventFilter: { eventFilterType: 'ORDER_CHANGE', orderChangeTypes: ['OrderStatusChange'] } };
const TOKEN_SELLER: SubscribeSeller = { sellerId: 'LWA_REFRESH_TOKEN', label: 'the seller of LWA_REFRESH_TOKEN' };

let sim: SpApiSimulator;
let clients: SpApiClients;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'subscribe-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function oneSeller() {
  ({ sim, clients } = await simulatorWithClients());
}

/** A simulator holding two sellers, and clients configured with SPAPI_SELLERS_FILE. */
async function twoSellers() {
  const sellers = { A1ONE: 'Atzr|one', A2TWO: 'Atzr|two' };
  const file = path.join(dir, `sellers-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(sellers));
  ({ sim, clients } = await simulatorWithClients(undefined, {
    simulator: { sellers },
    env: { LWA_REFRESH_TOKEN: '', SPAPI_SELLERS_FILE: file },
  }));
  return clients.sellers.sellerIds!.map((sellerId) => ({ sellerId, label: sellerId }));
}

function run(sellers: readonly SubscribeSeller[], options: Partial<SubscribeOptions> = {}) {
  return subscribe({
    notifications: clients.notifications,
    region: 'na',
    sqsArn: ARN,
    destinationName: 'order-change',
    sellers,
    replace: false,
    ...options,
  });
}

const posts = () => sim.requests.filter((request) => request.method !== 'GET');

describe('subscribe', () => {
  afterEach(() => sim.close());

  it('creates the destination and the filtered subscription once; a second run changes nothing', async () => {
    await oneSeller();
    const first = await run([TOKEN_SELLER]);
    expect(first.destination).toMatchObject({ name: 'order-change', created: true });
    expect(first.subscriptions).toEqual([
      { seller: TOKEN_SELLER, outcome: 'created', subscriptionId: expect.any(String) },
    ]);
    expect(changedAnything(first) && subscribedAll(first)).toBe(true);

    const writes = posts().length;
    const second = await run([TOKEN_SELLER]);
    expect(second.destination).toEqual({ ...first.destination, created: false });
    expect(second.subscriptions).toEqual([
      { seller: TOKEN_SELLER, outcome: 'existing', subscriptionId: first.subscriptions[0]!.subscriptionId },
    ]);
    expect(changedAnything(second)).toBe(false);
    expect(posts()).toHaveLength(writes);

    expect(sim.destinations()).toEqual([
      { destinationId: first.destination.destinationId, name: 'order-change', resource: { sqs: { arn: ARN } } },
    ]);
    expect(sim.subscriptions()).toEqual([
      {
        sellerId: SIMULATOR_SELLER_ID,
        notificationType: 'ORDER_CHANGE',
        subscriptionId: first.subscriptions[0]!.subscriptionId,
        payloadVersion: '1.0',
        destinationId: first.destination.destinationId,
        processingDirective: WANTED_DIRECTIVE,
      },
    ]);
  });

  it('reads the 409s of a concurrent run as "exists" and ends with one destination and one subscription', async () => {
    await oneSeller();
    const [a, b] = await Promise.all([run([TOKEN_SELLER]), run([TOKEN_SELLER])]);
    const conflicts = sim.requests.filter((request) => request.status === 409).map((request) => request.operation);
    expect(conflicts).toEqual(['createDestination', 'createSubscription']);
    expect(a.destination.destinationId).toBe(b.destination.destinationId);
    expect(a.subscriptions[0]!.subscriptionId).toBe(b.subscriptions[0]!.subscriptionId);
    expect([a, b].every(subscribedAll)).toBe(true);
    expect(sim.destinations()).toHaveLength(1);
    expect(sim.subscriptions()).toHaveLength(1);
  });

  it("reuses the queue's destination whatever its name", async () => {
    await oneSeller();
    const existing = await clients.notifications.createDestination({ region: 'na', name: 'made by hand', sqsArn: ARN });
    const result = await run([TOKEN_SELLER]);
    expect(result.destination).toEqual({ destinationId: existing.destinationId, name: 'made by hand', created: false });
    expect(sim.destinations()).toHaveLength(1);
  });

  it('subscribes every seller of SPAPI_SELLERS_FILE, and one refusing does not stop the others', async () => {
    const sellers = await twoSellers();
    sim.revokeSeller('A1ONE');
    const result = await run(sellers);
    expect(result.subscriptions.map(({ seller, outcome }) => [seller.sellerId, outcome])).toEqual([
      ['A1ONE', 'failed'],
      ['A2TWO', 'created'],
    ]);
    expect(result.subscriptions[0]!.detail).toMatch(
      /getSubscription: LWA refused seller A1ONE's authorization of the app .*HTTP 400 invalid_grant/,
    );
    expect(subscribedAll(result)).toBe(false);
    expect(sim.subscriptions().map((subscription) => subscription.sellerId)).toEqual(['A2TWO']);
  });

  it('leaves a subscription filtered otherwise alone and says how it differs; --replace replaces it', async () => {
    await oneSeller();
    const { destinationId } = await clients.notifications.createDestination({ region: 'na', name: 'q', sqsArn: ARN });
    const old = await clients.notifications.createSubscription({
      region: 'na',
      sellerId: SIMULATOR_SELLER_ID,
      notificationType: 'ORDER_CHANGE',
      destinationId,
      payloadVersion: '1.0',
      processingDirective: {
        eventFilter: { eventFilterType: 'ORDER_CHANGE', orderChangeTypes: ['BuyerRequestedChange'] },
      },
    });

    const kept = await run([TOKEN_SELLER]);
    expect(kept.subscriptions[0]).toMatchObject({ outcome: 'different', subscriptionId: old.subscriptionId });
    expect(kept.subscriptions[0]!.detail).toMatch(/event filter is ORDER_CHANGE \(BuyerRequestedChange\)/);
    expect(subscribedAll(kept)).toBe(false);
    expect(sim.subscriptions().map((subscription) => subscription.subscriptionId)).toEqual([old.subscriptionId]);

    const before = sim.requests.length;
    const replaced = await run([TOKEN_SELLER], { replace: true });
    expect(replaced.subscriptions[0]).toMatchObject({ outcome: 'replaced' });
    // The new subscription exists before the old one goes: no notification falls in between.
    const changes = sim.requests
      .slice(before)
      .filter((request) => request.method !== 'GET')
      .map((request) => `${request.operation} ${request.status}`);
    expect(changes).toEqual(['createSubscription 200', 'deleteSubscriptionById 200']);
    expect(subscribedAll(replaced)).toBe(true);
    expect(sim.subscriptions()).toEqual([
      expect.objectContaining({
        subscriptionId: replaced.subscriptions[0]!.subscriptionId,
        destinationId,
        processingDirective: WANTED_DIRECTIVE,
      }),
    ]);
    expect(replaced.subscriptions[0]!.subscriptionId).not.toBe(old.subscriptionId);
  });
});

describe('differenceFromWanted', () => {
  const wanted = {
    subscriptionId: 's',
    payloadVersion: '1.0',
    destinationId: 'd',
    processingDirective: WANTED_DIRECTIVE,
  };

  it.each<[string, object, RegExp | undefined]>([
    ['the wanted subscription', {}, undefined],
    ['another destination', { destinationId: 'e' }, /delivers to destination e, not to this queue's d/],
    ['another payload version', { payloadVersion: '2.0' }, /payload version is 2.0/],
    ['no filter', { processingDirective: undefined }, /absent \(every kind of order change\)/],
    [
      'a marketplace restriction',
      { processingDirective: { eventFilter: { ...WANTED_DIRECTIVE.eventFilter, marketplaceIds: ['ATVPDKIKX0DER'] } } },
      /orders of ATVPDKIKX0DER only/,
    ],
    [
      'aggregation',
      {
        processingDirective: {
          eventFilter: {
            ...WANTED_DIRECTIVE.eventFilter,
            aggregationSettings: { aggregationTimePeriod: 'FiveMinutes' },
          },
        },
      },
      /aggregates notifications over FiveMinutes/,
    ],
  ])('tells %s', (_, changes, expected) => {
    const difference = differenceFromWanted({ ...wanted, ...changes }, 'd');
    if (expected === undefined) expect(difference).toBeUndefined();
    else expect(difference).toMatch(expected);
  });
});
