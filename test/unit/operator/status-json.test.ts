import type { OrderRow } from '../../../src/operator/visibility';
import { statusJson } from '../../../src/operator/status-json';

const row = (overrides: Partial<OrderRow>): OrderRow => ({
  amazonOrderId: '903-1234567-1234567',
  phase: 'waiting',
  solicitAfter: '2026-06-06T00:00:00.000Z',
  solicitBefore: '2026-07-03T00:00:00.000Z',
  marketplaceId: 'ATVPDKIKX0DER',
  sellerId: 'A1',
  workflowStatus: 'RUNNING',
  ...overrides,
});

describe('statusJson', () => {
  it("puts a running order's status query at the top level, with Temporal's execution status", () => {
    const status = {
      amazonOrderId: '903-1234567-1234567',
      phase: 'waiting' as const,
      solicitAfter: '2026-06-06T00:00:00.000Z',
      solicitBefore: '2026-07-03T00:00:00.000Z',
      windowEstimated: false,
      checks: 0,
      nextCheckAt: '2026-06-06T00:00:00.000Z',
    };
    expect(statusJson({ order: row({}), status, result: null })).toEqual({ ...status, workflowStatus: 'RUNNING' });
  });

  it("gives a closed order's phase, window and checks from its result and visibility, and the result", () => {
    const result = {
      amazonOrderId: '903-1234567-1234567',
      outcome: 'solicited' as const,
      solicitedAt: '2026-06-06T00:00:01.000Z',
      checks: 1,
    };
    expect(
      statusJson({ order: row({ phase: 'solicited', workflowStatus: 'COMPLETED' }), status: null, result }),
    ).toEqual({
      amazonOrderId: '903-1234567-1234567',
      phase: 'solicited',
      solicitAfter: '2026-06-06T00:00:00.000Z',
      solicitBefore: '2026-07-03T00:00:00.000Z',
      checks: 1,
      solicitedAt: '2026-06-06T00:00:01.000Z',
      workflowStatus: 'COMPLETED',
      result,
    });
  });

  it('has no result for a workflow Temporal ended itself', () => {
    const order = row({ workflowStatus: 'TERMINATED', solicitAfter: null, solicitBefore: null });
    expect(statusJson({ order, status: null, result: null })).toEqual({
      amazonOrderId: '903-1234567-1234567',
      phase: 'waiting',
      workflowStatus: 'TERMINATED',
    });
  });
});
