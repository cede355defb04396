import type { ReviewSolicitationInput, SolicitationPolicy } from '../src/domain/contract';
import { OrderState } from '../src/domain/order-state';
import { seededRandom } from './month-orders';

const DAY = 24 * 60 * 60 * 1000;

/**
 * A marketplace's day of orders whose delivery dates fall on the same day boundaries: the most eligibility
 * checks that become due in one second, from the workflow's own state machine (src/domain/order-state.ts),
 * for the first check and the check once the window is surely open. Pure: no server, so that 5,000 orders
 * cost milliseconds; the simulated months run a smaller herd through the real workflows.
 */
export function checksInBusiestSecond(orders: number, policy: SolicitationPolicy, seed: number): number {
  const random = seededRandom(seed);
  const digits = () => String(Math.floor(random() * 1e7)).padStart(7, '0');
  const day = Date.parse('2026-03-10T00:00:00Z');
  const perSecond = new Map<number, number>();
  const count = (at: number | undefined) => {
    if (at === undefined) return;
    const second = Math.floor(at / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  };
  for (let i = 0; i < orders; i++) {
    const input: ReviewSolicitationInput = {
      amazonOrderId: `${String(100 + Math.floor(random() * 900))}-${digits()}-${digits()}`,
      marketplaceId: 'ATVPDKIKX0DER',
      sellerId: 'A1SIMULATEDSELLER',
      fulfillmentChannel: 'MFN',
      shippedAt: new Date(day + random() * DAY).toISOString(),
      earliestDeliveryDate: new Date(day + 2 * DAY).toISOString(),
      latestDeliveryDate: new Date(day + 4 * DAY).toISOString(),
      policy,
    };
    const state = new OrderState(input);
    const first = state.next(day + DAY);
    if (first.action !== 'wait' || first.nextCheckAt === undefined) continue;
    count(first.nextCheckAt);
    state.next(first.nextCheckAt);
    state.checked(false, first.nextCheckAt);
    const second = state.next(first.nextCheckAt + 1000);
    if (second.action === 'wait') count(second.nextCheckAt);
  }
  return Math.max(0, ...perSecond.values());
}
