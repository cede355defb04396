import { orderRow } from '../../helpers/orders';
import { statusJson } from '../../../src/operator/status-json';

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
    expect(statusJson({ order: orderRow({}), status, result: null })).toEqual({ ...status, workflowStatus: 'RUNNING' });
  });

  it("gives a closed order's phase, window and checks from its result and visibility, and the result", () => {
    const result = {
      amazonOrderId: '903-1234567-1234567',
      outcome: 'solicited' as const,
      solicitedAt: '2026-06-06T00:00:01.000Z',
      checks: 1,
    };
    expect(
      statusJson({ order: orderRow({ phase: 'solicited', workflowStatus: 'COMPLETED' }), status: null, result }),
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
    const order = orderRow({ workflowStatus: 'TERMINATED', solicitAfter: null, solicitBefore: null });
    expect(statusJson({ order, status: null, result: null })).toEqual({
      amazonOrderId: '903-1234567-1234567',
      phase: 'waiting',
      workflowStatus: 'TERMINATED',
    });
  });
});
