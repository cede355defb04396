import { groupBySeller } from '../../../src/operator/blocked-sellers';

describe('groupBySeller', () => {
  it("counts each seller's blocked orders, most first, and picks one order to ask for the reason", () => {
    const rows = [
      { amazonOrderId: '1', sellerId: 'B' },
      { amazonOrderId: '2', sellerId: 'A' },
      { amazonOrderId: '3', sellerId: 'C' },
      { amazonOrderId: '4', sellerId: 'A' },
      { amazonOrderId: '5', sellerId: 'B' },
      { amazonOrderId: '6', sellerId: 'B' },
    ];
    expect(groupBySeller(rows)).toEqual([
      { sellerId: 'B', orders: 3, sample: '1' },
      { sellerId: 'A', orders: 2, sample: '2' },
      { sellerId: 'C', orders: 1, sample: '3' },
    ]);
  });

  it('orders sellers with as many blocked orders by ID, and keeps an order without a seller under none', () => {
    const rows = [
      { amazonOrderId: '1', sellerId: 'Z' },
      { amazonOrderId: '2', sellerId: null },
      { amazonOrderId: '3', sellerId: 'M' },
    ];
    expect(groupBySeller(rows).map(({ sellerId }) => sellerId)).toEqual(['', 'M', 'Z']);
    expect(groupBySeller([])).toEqual([]);
  });
});
