import {
  DEFAULT_POLICY,
  type ReviewSolicitationInput,
  type SolicitationPolicy,
  type SolicitationStatus,
} from '../../../src/domain/contract';
import { currentDetails, formatInstant, workflowStartSummary } from '../../../src/domain/web-ui';
import { InvalidOrderInputError } from '../../../src/domain/window';

const mfn: ReviewSolicitationInput = {
  amazonOrderId: '902-3159896-1390916',
  marketplaceId: 'ATVPDKIKX0DER',
  sellerId: 'A2SELLER',
  fulfillmentChannel: 'MFN',
  shippedAt: '2024-05-01T09:00:00Z',
  earliestDeliveryDate: '2024-05-03T07:00:00Z',
  latestDeliveryDate: '2024-05-06T06:59:59Z',
  policy: DEFAULT_POLICY,
};

const waiting: SolicitationStatus = {
  amazonOrderId: mfn.amazonOrderId,
  phase: 'waiting',
  solicitAfter: '2024-05-08T07:00:00.000Z',
  solicitBefore: '2024-06-05T06:59:59.000Z',
  windowEstimated: false,
  checks: 0,
  nextCheckAt: '2024-05-08T07:00:00.000Z',
};

describe('formatInstant', () => {
  it('prints UTC to the minute from epoch milliseconds or ISO strings', () => {
    expect(formatInstant(Date.parse('2024-05-08T07:00:59.999Z'))).toBe('2024-05-08 07:00 UTC');
    expect(formatInstant('2024-05-08T00:30:00-07:00')).toBe('2024-05-08 07:30 UTC');
  });
});

describe('workflowStartSummary', () => {
  it('names the order, the marketplace and the window in one line, and the rest in the details', () => {
    const { staticSummary, staticDetails } = workflowStartSummary(mfn);
    expect(staticSummary).toBe(
      'Review request for order 902-3159896-1390916 (ATVPDKIKX0DER), window 2024-05-08 07:00 UTC to 2024-06-05 06:59 UTC',
    );
    expect(staticSummary).not.toContain('\n');
    expect(staticDetails.split('\n')).toEqual([
      'Order: 902-3159896-1390916',
      'Marketplace: ATVPDKIKX0DER',
      'Seller: A2SELLER',
      'Fulfillment: MFN, shipped 2024-05-01 09:00 UTC',
      'Delivery: 2024-05-03 07:00 UTC to 2024-05-06 06:59 UTC',
      'Window at start: opens 2024-05-08 07:00 UTC, closes 2024-06-05 06:59 UTC',
      'Checks: when the window opens, then every 24 hours while Amazon does not offer the review request',
    ]);
  });

  it('says when the window of an FBA order is estimated', () => {
    const { staticDetails } = workflowStartSummary({
      ...mfn,
      fulfillmentChannel: 'AFN',
      earliestDeliveryDate: undefined,
      latestDeliveryDate: undefined,
    });
    expect(staticDetails).toContain('Delivery: not given by Amazon; the window is estimated from the ship time');
    expect(staticDetails).toContain('Window at start: opens 2024-05-07 09:00 UTC, closes 2024-06-10 09:00 UTC');
  });

  it('refuses an input the workflow would reject', () => {
    expect(() => workflowStartSummary({ ...mfn, shippedAt: 'May 1st' })).toThrow(InvalidOrderInputError);
  });
});

describe('currentDetails', () => {
  it.each<[string, Partial<SolicitationStatus>, string]>([
    [
      'waiting for the window',
      {},
      "Waiting for Amazon's window to open on 2024-05-08 07:00 UTC; it closes on 2024-06-05 06:59 UTC.",
    ],
    [
      'waiting for an estimated window',
      { windowEstimated: true },
      "Waiting for Amazon's window to open on 2024-05-08 07:00 UTC; it closes on 2024-06-05 06:59 UTC (estimated from the ship time).",
    ],
    [
      'waiting after a check Amazon declined',
      { checks: 2, nextCheckAt: '2024-05-10T07:00:00.000Z' },
      'Amazon did not offer the action (check 2); next check on 2024-05-10 07:00 UTC; the window closes on 2024-06-05 06:59 UTC.',
    ],
    [
      'waiting with no check left',
      { checks: 28, nextCheckAt: undefined },
      'Amazon did not offer the action (check 28); no check is left before the window closes on 2024-06-05 06:59 UTC.',
    ],
    [
      'checking',
      { phase: 'checking', checks: 1, nextCheckAt: undefined },
      'Asking Amazon whether it offers the review request (check 2).',
    ],
    [
      'blocked',
      {
        phase: 'blocked',
        reason: 'seller A1 is paused in SPAPI_SELLERS_FILE. The order tries again by itself at 2024-05-08 08:00 UTC',
      },
      'Blocked: seller A1 is paused in SPAPI_SELLERS_FILE. The order tries again by itself at 2024-05-08 08:00 UTC.',
    ],
    [
      'solicited',
      { phase: 'solicited', solicitedAt: '2024-05-08T07:00:01.000Z' },
      'Solicited at 2024-05-08 07:00 UTC.',
    ],
    [
      'already solicited',
      { phase: 'already-solicited', reason: 'not available for this amazonOrderId.' },
      'Amazon says the order was already solicited: not available for this amazonOrderId.',
    ],
    ['expired', { phase: 'expired', reason: 'the window closed' }, 'Expired: the window closed'],
    ['cancelled', { phase: 'cancelled', reason: 'buyer asked' }, 'Cancelled: buyer asked'],
    ['failed', { phase: 'failed', reason: 'Unauthorized' }, 'Failed: Unauthorized'],
  ])('%s', (_, change, text) => {
    expect(currentDetails({ ...waiting, ...change })).toBe(text);
  });
});

describe('the words for orders started with the back-off and the spread', () => {
  it('say how checks back off and that they are shifted for the order', () => {
    const policy: SolicitationPolicy = {
      ...DEFAULT_POLICY,
      checkSchedule: 'window-aware',
      maxRecheckGap: '7 days',
      spread: '1 hour',
    };
    const { staticDetails } = workflowStartSummary({ ...mfn, policy });
    expect(staticDetails).toContain(
      "Checks: when the window opens, when it is open whatever the delivery day, then 1, 2, 4... × 24 hours apart (at most 7 days) while Amazon does not offer the review request, and on the window's last day; each shifted by up to 1 hour for this order",
    );
  });

  it('tell the window opening apart from a first check shifted after it', () => {
    expect(currentDetails({ ...waiting, nextCheckAt: '2024-05-08T07:41:00.000Z' })).toBe(
      "Waiting for Amazon's window to open on 2024-05-08 07:00 UTC (first check on 2024-05-08 07:41 UTC); it closes on 2024-06-05 06:59 UTC.",
    );
  });
});
