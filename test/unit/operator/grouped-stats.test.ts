import { PHASES, TERMINAL_PHASES } from '../../../src/domain/contract';
import { groupedJson, groupedTable, NO_GROUP, tallyGroups } from '../../../src/operator/grouped-stats';

const US = 'ATVPDKIKX0DER';
const CA = 'A2EUQ1WTGCTBG2';
const order = (phase: string | null, marketplaceId: string | null, sellerId: string | null = 'A1SELLER') => ({
  phase,
  marketplaceId,
  sellerId,
});

describe('tallyGroups', () => {
  it('adds orders up per outcome and marketplace, most orders first, leaving out orders in no outcome', () => {
    const tally = tallyGroups('marketplace', TERMINAL_PHASES);
    for (const listed of [
      order('solicited', CA),
      order('solicited', US),
      order('expired', US),
      order('dry-run', US),
      // A workflow terminated by hand keeps the phase it was in: it ended in no outcome of the product's.
      order('waiting', US),
      order(null, CA),
      order('cancelled', null),
    ]) {
      tally.add(listed);
    }
    const result = tally.result();
    expect(result.total).toBe(5);
    // Read, though not counted: the orders in no outcome.
    expect(result.ordersRead).toBe(7);
    expect(result.counts).toEqual({
      solicited: 2,
      'already-solicited': 0,
      expired: 1,
      cancelled: 1,
      failed: 0,
      'dry-run': 1,
    });
    expect(result.groups.map(([id, group]) => [id, group.total])).toEqual([
      [US, 3],
      [NO_GROUP, 1],
      [CA, 1],
    ]);
    expect(result.groups[0]![1].counts).toMatchObject({ solicited: 1, expired: 1, 'dry-run': 1, cancelled: 0 });
  });

  it('groups by seller, and counts running phases when asked for every phase', () => {
    const tally = tallyGroups('seller', PHASES);
    tally.add(order('waiting', US, 'A1ONE'));
    tally.add(order('checking', CA, 'A1ONE'));
    tally.add(order('solicited', US, 'A2TWO'));
    const result = tally.result();
    expect(result.groups.map(([id, group]) => [id, group.counts.waiting, group.counts.checking, group.total])).toEqual([
      ['A1ONE', 1, 1, 2],
      ['A2TWO', 0, 0, 1],
    ]);
    expect(result.total).toBe(3);
  });
});

describe('groupedJson and groupedTable', () => {
  const tally = tallyGroups('marketplace', TERMINAL_PHASES);
  tally.add(order('solicited', US));
  tally.add(order('solicited', US));
  tally.add(order('failed', CA));
  const result = tally.result();

  it('give the totals and each group under the same label', () => {
    const json = groupedJson('outcomes', result);
    expect(json).toEqual({
      outcomes: expect.objectContaining({ solicited: 2, failed: 1 }),
      total: 3,
      ordersRead: 3,
      groups: {
        [US]: { outcomes: expect.objectContaining({ solicited: 2, failed: 0 }), total: 2 },
        [CA]: { outcomes: expect.objectContaining({ solicited: 0, failed: 1 }), total: 1 },
      },
    });
  });

  it('print a row per group and a total row, a column per outcome', () => {
    expect(groupedTable('marketplace', TERMINAL_PHASES, result).split('\n')).toEqual([
      'MARKETPLACE     SOLICITED  ALREADY-SOLICITED  EXPIRED  CANCELLED  FAILED  DRY-RUN  TOTAL',
      `${US}   2          0                  0        0          0       0        2`,
      `${CA}  0          0                  0        0          1       0        1`,
      'total           2          0                  0        0          1       0        3',
    ]);
  });

  it('print the header and a zero total when no order matched', () => {
    const none = tallyGroups('seller', PHASES).result();
    expect(groupedTable('seller', PHASES, none).split('\n')).toEqual([
      'SELLER  WAITING  CHECKING  BLOCKED  SOLICITED  ALREADY-SOLICITED  EXPIRED  CANCELLED  FAILED  DRY-RUN  TOTAL',
      'total   0        0         0        0          0                  0        0          0       0        0',
    ]);
  });
});
