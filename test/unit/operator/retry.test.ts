import Long from 'long';
import { temporal } from '@temporalio/proto';
import { firstWorkflowTask } from '../../../src/operator/reset-point';
import { retryQuery, retryRefusal, retryRequestId } from '../../../src/operator/retry';
import { guardFilter } from '../../../src/operator/query-filter';
import type { OrderRow } from '../../../src/operator/visibility';
import { orderRow } from '../../helpers/orders';

const { EventType } = temporal.api.enums.v1;
const NOW = Date.parse('2026-05-10T12:00:00Z');

/** A failed order, its window open from 1 May to 1 June 2026. */
const row = (overrides: Partial<OrderRow>): OrderRow =>
  orderRow({
    amazonOrderId: '902-1234567-1234567',
    phase: 'failed',
    solicitAfter: '2026-05-01T00:00:00.000Z',
    solicitBefore: '2026-06-01T00:00:00.000Z',
    workflowStatus: 'COMPLETED',
    ...overrides,
  });

describe('retryRefusal', () => {
  it('retries a failed order, whatever Temporal status it closed with', () => {
    expect(retryRefusal(row({}), NOW)).toBeUndefined();
    expect(retryRefusal(row({ workflowStatus: 'FAILED' }), NOW)).toBeUndefined();
  });

  it('retries an expired order only while its window is open', () => {
    expect(retryRefusal(row({ phase: 'expired' }), NOW)).toBeUndefined();
    expect(retryRefusal(row({ phase: 'expired', solicitBefore: '2026-05-10T12:00:00.000Z' }), NOW)).toBe(
      'order 902-1234567-1234567 expired and its window closed on 2026-05-10 12:00 UTC: ' +
        'Amazon would not take its review request',
    );
    expect(retryRefusal(row({ phase: 'expired', solicitBefore: null }), NOW)).toBe(
      'order 902-1234567-1234567 expired and its window closed: Amazon would not take its review request',
    );
  });

  it('refuses a running order and any other outcome', () => {
    expect(retryRefusal(row({ workflowStatus: 'RUNNING', phase: 'waiting' }), NOW)).toBe(
      'order 902-1234567-1234567 is still running (waiting): nothing to retry',
    );
    expect(retryRefusal(row({ workflowStatus: 'RUNNING', phase: 'failed' }), NOW)).toMatch(/still running/);
    expect(retryRefusal(row({ phase: 'solicited' }), NOW)).toBe(
      'order 902-1234567-1234567 ended solicited: only failed orders, and expired ones whose window is still ' +
        'open, are retried',
    );
    expect(retryRefusal(row({ phase: null, workflowStatus: 'TERMINATED' }), NOW)).toMatch(/ ended TERMINATED: /);
  });
});

describe('retryQuery', () => {
  it('narrows closed orders that failed, or expired with the window open, then the filter', () => {
    expect(retryQuery(new Date(NOW), "AmazonSellerId = 'A1'")).toBe(
      "WorkflowType = 'reviewSolicitation' AND (ExecutionStatus != 'Running') AND " +
        "(SolicitationPhase = 'failed' OR (SolicitationPhase = 'expired' AND " +
        "SolicitBefore > '2026-05-10T12:00:00.000Z')) AND (AmazonSellerId = 'A1')",
    );
  });

  it('refuses a filter that would escape its parentheses', () => {
    expect(() => retryQuery(new Date(NOW), "A = 'x') OR (B = 'y'")).toThrow(/bad list filter/);
    expect(() => guardFilter(retryQuery(new Date(NOW)))).not.toThrow();
  });
});

describe('retryRequestId', () => {
  it('is the same for the same run and differs between runs, shaped as a UUID', () => {
    const id = retryRequestId('run-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(retryRequestId('run-1')).toBe(id);
    expect(retryRequestId('run-2')).not.toBe(id);
  });
});

describe('firstWorkflowTask', () => {
  const event = (eventId: number, eventType: temporal.api.enums.v1.EventType) => ({
    eventId: Long.fromNumber(eventId),
    eventType,
  });
  const started = event(1, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
  const scheduled = (id: number) => event(id, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
  const completed = (id: number) => event(id, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
  const taskStarted = (id: number) => event(id, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
  const failed = (id: number) => event(id, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
  const id = (point: ReturnType<typeof firstWorkflowTask>) => point && [point.eventId.toNumber(), point.completed];

  it('picks the first WorkflowTaskCompleted, not a later one', () => {
    const history = [started, scheduled(2), taskStarted(3), failed(4), scheduled(5), taskStarted(6), completed(7)];
    expect(id(firstWorkflowTask([...history, scheduled(8), taskStarted(9), completed(10)]))).toEqual([7, true]);
  });

  it('without one, the event after the first WorkflowTaskScheduled, which a later page can still replace', () => {
    const page = firstWorkflowTask([started, scheduled(2), taskStarted(3), failed(4), scheduled(5)]);
    expect(id(page)).toEqual([3, false]);
    expect(id(firstWorkflowTask([taskStarted(6)], page))).toEqual([3, false]);
    expect(id(firstWorkflowTask([taskStarted(6), completed(7)], page))).toEqual([7, true]);
  });

  it('finds nothing in a history without a workflow task', () => {
    expect(firstWorkflowTask([started])).toBeUndefined();
  });
});
