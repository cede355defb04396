import { DEFAULT_POLICY, searchAttributes, type ReviewSolicitationInput } from '../../../src/domain/contract';
import { shippedUpdate, startOptions } from '../../../src/orders/start';

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

describe('startOptions', () => {
  it("gives the workflow the seller as its fairness key, so one seller's burst does not queue another's", () => {
    expect(startOptions(mfn, 'q').priority).toEqual({ fairnessKey: mfn.sellerId });
  });

  it('starts by order ID, refuses a second run, joins a running one and indexes the order', () => {
    const options = startOptions(mfn, 'review-solicitations');
    expect(options).toMatchObject({
      workflowId: mfn.amazonOrderId,
      taskQueue: 'review-solicitations',
      args: [mfn],
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

  it('says in the summary which order it is and when its window opens and closes', () => {
    expect(startOptions(mfn, 'q').staticSummary).toBe(
      'Review request for order 114-3941689-8772232 (ATVPDKIKX0DER), window 2025-03-12 08:00 UTC to 2025-04-11 07:59 UTC',
    );
    expect(startOptions(afn, 'q').staticDetails).toMatch(/Delivery: not given by Amazon; the window is estimated/);
  });

  it('signals a running order with the dates, or without delivery dates with its status alone, and the time of change', () => {
    expect(shippedUpdate(mfn)).toEqual({
      orderStatus: 'Shipped',
      changedAt: mfn.shippedAt,
      earliestDeliveryDate: mfn.earliestDeliveryDate,
      latestDeliveryDate: mfn.latestDeliveryDate,
    });
    expect(shippedUpdate(afn)).toEqual({ orderStatus: 'Shipped', changedAt: afn.shippedAt });
  });
});
