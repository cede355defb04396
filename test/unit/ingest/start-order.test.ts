import { DEFAULT_POLICY, searchAttributes, type ReviewSolicitationInput } from '../../../src/definitions';
import { initialWindow } from '../../../src/ingest/initial-window';
import { startOptions } from '../../../src/ingest/start-order';

const DAY_MS = 24 * 60 * 60 * 1000;

const mfn: ReviewSolicitationInput = {
  amazonOrderId: '114-3941689-8772232',
  marketplaceId: 'ATVPDKIKX0DER',
  sellerId: 'A3TH9S8BH6GOGM',
  fulfillmentChannel: 'MFN',
  shippedAt: '2025-03-04T10:14:58.000Z',
  earliestDeliveryDate: '2025-03-07T08:00:00.000Z',
  latestDeliveryDate: '2025-03-12T07:59:59.000Z',
  policy: DEFAULT_POLICY,
};
const afn: ReviewSolicitationInput = {
  ...mfn,
  fulfillmentChannel: 'AFN',
  earliestDeliveryDate: undefined,
  latestDeliveryDate: undefined,
};

describe('initialWindow', () => {
  it('opens 5 days after the earliest delivery and closes 30 days after the latest', () => {
    expect(initialWindow(mfn)).toEqual({
      solicitAfter: new Date('2025-03-12T08:00:00.000Z'),
      solicitBefore: new Date('2025-04-11T07:59:59.000Z'),
      estimated: false,
    });
  });

  it('estimates delivery from the ship time without delivery dates, with the policy in the input', () => {
    expect(initialWindow(afn)).toEqual({
      solicitAfter: new Date(Date.parse(afn.shippedAt) + 6 * DAY_MS),
      solicitBefore: new Date(Date.parse(afn.shippedAt) + 40 * DAY_MS),
      estimated: true,
    });
    const slower = { ...afn, policy: { ...DEFAULT_POLICY, estimatedEarliestDeliveryAfterShip: '3 days' as const } };
    expect(initialWindow(slower).solicitAfter).toEqual(new Date(Date.parse(afn.shippedAt) + 8 * DAY_MS));
  });

  it('never closes before it opens when only the earliest delivery date is known', () => {
    const lateEarliest = { ...afn, earliestDeliveryDate: '2025-04-01T00:00:00.000Z' };
    const window = initialWindow(lateEarliest);
    expect(window.estimated).toBe(true);
    expect(window.solicitBefore).toEqual(new Date(Date.parse('2025-04-01T00:00:00.000Z') + 30 * DAY_MS));
  });
});

describe('startOptions', () => {
  it('starts by order ID, refuses a second run, signals the dates and indexes the order', () => {
    const options = startOptions(mfn, 'review-solicitations');
    expect(options).toMatchObject({
      workflowId: mfn.amazonOrderId,
      taskQueue: 'review-solicitations',
      args: [mfn],
      signal: { name: 'orderUpdated' },
      signalArgs: [
        {
          orderStatus: 'Shipped',
          earliestDeliveryDate: mfn.earliestDeliveryDate,
          latestDeliveryDate: mfn.latestDeliveryDate,
        },
      ],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    expect(options.typedSearchAttributes).toEqual([
      { key: searchAttributes.phase, value: 'waiting' },
      { key: searchAttributes.solicitAfter, value: new Date('2025-03-12T08:00:00.000Z') },
      { key: searchAttributes.solicitBefore, value: new Date('2025-04-11T07:59:59.000Z') },
      { key: searchAttributes.marketplaceId, value: 'ATVPDKIKX0DER' },
      { key: searchAttributes.sellerId, value: 'A3TH9S8BH6GOGM' },
    ]);
  });

  it('says in the summary which order it is and where its window comes from', () => {
    expect(startOptions(mfn, 'q').staticSummary).toBe(
      'Request a Review for order 114-3941689-8772232 (MFN, marketplace ATVPDKIKX0DER, seller A3TH9S8BH6GOGM), ' +
        'shipped 2025-03-04T10:14:58.000Z, delivery dates from Amazon',
    );
    expect(startOptions(afn, 'q').staticSummary).toMatch(/\(AFN, .*delivery estimated from the ship time$/);
  });

  it('signals an order without delivery dates with its status alone', () => {
    expect(startOptions(afn, 'q').signalArgs).toEqual([{ orderStatus: 'Shipped' }]);
  });
});
