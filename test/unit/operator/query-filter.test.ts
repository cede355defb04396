import { UsageError } from '../../../src/errors';
import { guardFilter } from '../../../src/operator/query-filter';
import { listFilter, ordersQuery, RUNNING } from '../../../src/operator/visibility';

describe('guardFilter', () => {
  it.each([
    "AmazonSellerId = 'A1'",
    "AmazonSellerId = 'A1' OR AmazonSellerId = 'A2'",
    "(AmazonSellerId = 'A1' OR AmazonSellerId = 'A2') AND SolicitationPhase = 'waiting'",
    "SolicitationPhase IN ('waiting', 'checking') AND SolicitAfter < '2026-05-01T00:00:00Z'",
    'AmazonSellerId = \'paren)x\' OR AmazonSellerId = "("',
    "AmazonSellerId = 'it''s' OR AmazonSellerId = 'it\\'s' OR AmazonSellerId = \"say \\\"hi\\\" (\"",
    "`AmazonSellerId` = 'A1' AND StartTime BETWEEN '2026-01-01T00:00:00Z' AND '2026-02-01T00:00:00Z'",
    "AmazonSellerId STARTS_WITH 'A1' AND\n\tSolicitationPhase != 'failed'",
    "CloseTime >= '2026-01-01T00:00:00-08:00' AND ExecutionDuration > 3600",
  ])('keeps %s as it is', (filter) => {
    expect(guardFilter(filter)).toBe(filter);
  });

  it.each([
    [
      "AmazonSellerId = 'X') OR (ExecutionStatus = 'Running'",
      "')' at column 21 closes a parenthesis the filter did not open",
    ],
    ["AmazonSellerId = 'X')", "')' at column 21 closes a parenthesis the filter did not open"],
    ["(AmazonSellerId = 'X'", "'(' at column 1 is never closed"],
    ["AmazonSellerId = 'A1' AND (", "'(' at column 27 is never closed"],
    ["AmazonSellerId = 'X", "the string opened at column 18 is never closed (missing ')"],
    ['AmazonSellerId = "X', 'the string opened at column 18 is never closed (missing ")'],
    ["AmazonSellerId = 'X\\'", "the string opened at column 18 is never closed (missing ')"],
    ["AmazonSellerId = 'it''s", "the string opened at column 18 is never closed (missing ')"],
    ["`AmazonSellerId = 'X'", 'the name quoted at column 1 is never closed (missing `)'],
    ["`Amazon\\`SellerId` = 'X'", 'the name quoted at column 1 may not hold a backslash or a backtick'],
    ["`Amazon``SellerId` = 'X'", 'the name quoted at column 1 may not hold a backslash or a backtick'],
    // The server honours comments: these hide a quote from a reading that does not, and escape the wrap.
    ["AmazonSellerId = 'X' /* ' */ ) OR ( /* ' */ AmazonSellerId = 'X'", 'comments are not allowed (column 22)'],
    ["AmazonSellerId = 'X' -- ')", 'comments are not allowed (column 22)'],
    ["AmazonSellerId = 'X' # ')", 'comments are not allowed (column 22)'],
    ["AmazonSellerId = 'X'; DROP", '";" at column 21 is not allowed outside quotes'],
    ["AmazonSellerId = 'X' || 1 = 1", '"|" at column 22 is not allowed outside quotes'],
    ["AmazonSellerId = 'X'\u0000", '"\\u0000" at column 21 is not allowed outside quotes'],
  ])('refuses %j: %s', (filter, why) => {
    expect(() => guardFilter(filter)).toThrow(new UsageError(`bad list filter: ${why}`));
  });
});

describe('the guarded queries of the operator commands', () => {
  it('narrow the running reviewSolicitation workflows with a filter that may use OR', () => {
    expect(ordersQuery(RUNNING, listFilter(" AmazonSellerId = 'A1' OR AmazonSellerId = 'A2' "))).toBe(
      "WorkflowType = 'reviewSolicitation' AND (ExecutionStatus = 'Running') AND " +
        "(AmazonSellerId = 'A1' OR AmazonSellerId = 'A2')",
    );
  });

  it('are never built around a filter that escapes its parentheses', () => {
    const escaping = "AmazonSellerId = 'X') OR (ExecutionStatus = 'Running'";
    expect(() => listFilter(escaping)).toThrow(UsageError);
    expect(() => ordersQuery(RUNNING, escaping)).toThrow(UsageError);
  });
});
