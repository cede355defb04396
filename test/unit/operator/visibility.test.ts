import { PHASES } from '../../../src/domain/contract';
import { listFilter, ordersQuery, parsePhase, phaseCondition, RUNNING } from '../../../src/operator/visibility';
import { UsageError } from '../../../src/errors';

describe('ordersQuery', () => {
  it("always restricts to the product's workflow type, and brackets each condition", () => {
    expect(ordersQuery()).toBe("WorkflowType = 'reviewSolicitation'");
    expect(ordersQuery(RUNNING, "AmazonSellerId = 'A1' OR AmazonSellerId = 'A2'")).toBe(
      "WorkflowType = 'reviewSolicitation' AND (ExecutionStatus = 'Running') AND " +
        "(AmazonSellerId = 'A1' OR AmazonSellerId = 'A2')",
    );
  });

  it('leaves out conditions not given', () => {
    expect(ordersQuery(undefined, phaseCondition('waiting'), undefined)).toBe(
      "WorkflowType = 'reviewSolicitation' AND (SolicitationPhase = 'waiting')",
    );
  });
});

describe('parsePhase', () => {
  it.each(PHASES)('takes %s', (phase) => expect(parsePhase(phase)).toBe(phase));

  it('refuses anything else as bad usage, naming the phases', () => {
    expect(() => parsePhase('Waiting')).toThrow(
      new UsageError(
        "unknown phase 'Waiting' (one of waiting, checking, blocked, solicited, already-solicited, expired, cancelled, failed, dry-run)",
      ),
    );
  });
});

describe('listFilter', () => {
  it('trims a filter and refuses an empty one', () => {
    expect(listFilter(undefined)).toBeUndefined();
    expect(listFilter("  AmazonSellerId = 'A1' ")).toBe("AmazonSellerId = 'A1'");
    expect(() => listFilter('  ')).toThrow(UsageError);
  });
});
