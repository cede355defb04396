import { UsageError } from '../../../src/errors';
import { TERMINAL_PHASES } from '../../../src/domain/contract';
import { parsePeriod, periodCountQueries, periodStats } from '../../../src/operator/period-stats';

const since = new Date('2026-11-01T20:00:00.000Z');

describe('parsePeriod', () => {
  it('take hours, days and weeks', () => {
    expect(parsePeriod('12h')).toBe(12 * 3_600_000);
    expect(parsePeriod('30d')).toBe(30 * 86_400_000);
    expect(parsePeriod('2w')).toBe(14 * 86_400_000);
  });

  it.each(['0d', '30', '30 days', '1e3d', '-1d', '3651d', 'd'])('refuse --since %j', (value) => {
    expect(() => parsePeriod(value)).toThrow(
      new UsageError(`--since must be a period such as 12h, 30d or 2w (at most 3650d), got '${value}'`),
    );
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

  it('narrows by an operator filter', () => {
    const queries = periodCountQueries({ since, filter: "AmazonSellerId = 'A1' OR AmazonSellerId = 'A2'" });
    expect(queries[0]!.query).toBe(
      "WorkflowType = 'reviewSolicitation' AND (ExecutionStatus != 'Running' AND " +
        "CloseTime >= '2026-11-01T20:00:00.000Z') AND (SolicitationPhase = 'solicited') AND " +
        "(AmazonSellerId = 'A1' OR AmazonSellerId = 'A2')",
    );
  });
});

describe('periodStats', () => {
  it('adds the counts up per outcome', () => {
    const counts = periodCountQueries({ since }).map((query) => ({
      ...query,
      count: query.outcome === 'solicited' ? 7 : 1,
    }));
    const stats = periodStats(since, counts);
    expect(stats.since).toBe('2026-11-01T20:00:00.000Z');
    expect(stats.outcomes.solicited).toBe(7);
    expect(stats.outcomes.expired).toBe(1);
    expect(stats.total).toBe(7 + TERMINAL_PHASES.length - 1);
  });

  it('counts each outcome, and nothing else', () => {
    const counts = periodCountQueries({ since }).map((query) => ({ ...query, count: 1 }));
    expect(periodStats(since, counts)).toEqual({
      since: since.toISOString(),
      outcomes: Object.fromEntries(TERMINAL_PHASES.map((outcome) => [outcome, 1])),
      total: TERMINAL_PHASES.length,
    });
  });
});
