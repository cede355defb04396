import { UsageError } from '../../../src/errors';
import { TERMINAL_PHASES } from '../../../src/domain/contract';
import { parseGroupBy, parsePeriod, periodCountQueries, periodStats } from '../../../src/operator/period-stats';

const since = new Date('2026-11-01T20:00:00.000Z');

describe('parsePeriod and parseGroupBy', () => {
  it('take hours, days and weeks', () => {
    expect(parsePeriod('12h')).toBe(12 * 3_600_000);
    expect(parsePeriod('30d')).toBe(30 * 86_400_000);
    expect(parsePeriod('2w')).toBe(14 * 86_400_000);
    expect(parseGroupBy('seller')).toBe('seller');
    expect(parseGroupBy(undefined)).toBeUndefined();
  });

  it.each(['0d', '30', '30 days', '1e3d', '-1d', '3651d', 'd'])('refuse --since %j', (value) => {
    expect(() => parsePeriod(value)).toThrow(
      new UsageError(`--since must be a period such as 12h, 30d or 2w (at most 3650d), got '${value}'`),
    );
  });

  it('refuses another grouping', () => {
    expect(() => parseGroupBy('phase')).toThrow(new UsageError("--by must be marketplace or seller, got 'phase'"));
  });
});

describe('periodCountQueries', () => {
  it("counts the product's workflows that ended in the period, one query per outcome", () => {
    const queries = periodCountQueries({ since });
    expect(queries.map((count) => count.outcome)).toEqual([...TERMINAL_PHASES]);
    expect(queries[0]).toEqual({
      outcome: 'solicited',
      query:
        "WorkflowType = 'reviewSolicitation' AND (ExecutionStatus != 'Running' AND " +
        "CloseTime >= '2026-11-01T20:00:00.000Z') AND (SolicitationPhase = 'solicited')",
    });
  });

  it('narrows by marketplace or seller, and by an operator filter', () => {
    const queries = periodCountQueries({
      since,
      filter: "AmazonSellerId = 'A1' OR AmazonSellerId = 'A2'",
      by: { groupBy: 'marketplace', ids: ['ATVPDKIKX0DER', 'A1PA6795UKMFR9'] },
    });
    expect(queries).toHaveLength(2 * TERMINAL_PHASES.length);
    expect(queries[TERMINAL_PHASES.length]).toEqual({
      outcome: 'solicited',
      group: 'A1PA6795UKMFR9',
      query:
        "WorkflowType = 'reviewSolicitation' AND (ExecutionStatus != 'Running' AND " +
        "CloseTime >= '2026-11-01T20:00:00.000Z') AND (SolicitationPhase = 'solicited') AND " +
        "(AmazonMarketplaceId = \"A1PA6795UKMFR9\") AND (AmazonSellerId = 'A1' OR AmazonSellerId = 'A2')",
    });
    expect(periodCountQueries({ since, by: { groupBy: 'seller', ids: ['S1'] } })[0]!.query).toContain(
      '(AmazonSellerId = "S1")',
    );
  });
});

describe('periodStats', () => {
  it('adds the counts up per outcome, and per group with --by, leaving out empty groups', () => {
    const queries = periodCountQueries({ since, by: { groupBy: 'seller', ids: ['S1', 'S2', 'S3'] } });
    const counts = queries.map((query) => ({
      ...query,
      count: query.group === 'S3' ? 0 : query.outcome === 'solicited' ? (query.group === 'S1' ? 5 : 2) : 1,
    }));
    const others = TERMINAL_PHASES.length - 1;
    const stats = periodStats(since, counts);
    expect(stats.since).toBe('2026-11-01T20:00:00.000Z');
    expect(stats.outcomes.solicited).toBe(7);
    expect(stats.outcomes.expired).toBe(2);
    expect(stats.total).toBe(7 + 2 * others);
    expect(Object.keys(stats.groups!)).toEqual(['S1', 'S2']);
    expect(stats.groups!.S1).toMatchObject({ total: 5 + others });
    expect(stats.groups!.S1!.outcomes.solicited).toBe(5);
  });

  it('has no groups without --by', () => {
    const counts = periodCountQueries({ since }).map((query) => ({ ...query, count: 1 }));
    expect(periodStats(since, counts)).toEqual({
      since: since.toISOString(),
      outcomes: Object.fromEntries(TERMINAL_PHASES.map((outcome) => [outcome, 1])),
      total: TERMINAL_PHASES.length,
    });
  });
});
