import type { SellerEntry } from '../../../src/spapi/sellers';
import { reauthorizationDue, sellersDueSoon } from '../../../src/credentials/authorization-expiry';

describe('re-authorization due dates', () => {
  it('are authorizedAt + 365 days, and unknown without authorizedAt', () => {
    expect(reauthorizationDue({ refreshToken: 'x', authorizedAt: '2026-01-01T00:00:00Z' })).toEqual(
      new Date('2027-01-01T00:00:00Z'),
    );
    expect(reauthorizationDue({ refreshToken: 'x' })).toBeUndefined();
  });

  it('names the sellers due within 30 days or overdue, soonest first', () => {
    const now = new Date('2026-12-06T00:00:00Z');
    const authorized = (daysAgo: number) => ({
      refreshToken: 'x',
      authorizedAt: new Date(now.getTime() - daysAgo * 86_400_000).toISOString(),
    });
    const sellers = new Map<string, SellerEntry>([
      ['A1FRESH', authorized(10)],
      ['A2SOON', authorized(340)],
      ['A3OVERDUE', authorized(400)],
      ['A4EDGE', authorized(335)],
      ['A5UNKNOWN', { refreshToken: 'x' }],
    ]);
    expect(sellersDueSoon(sellers, now).map((seller) => seller.sellerId)).toEqual(['A3OVERDUE', 'A2SOON', 'A4EDGE']);
  });
});
