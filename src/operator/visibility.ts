import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { PHASES, WORKFLOW_TYPE, searchAttributes, type Phase } from '../domain/contract';
import { GrpcStatus, grpcError } from '../grpc';
import { UsageError } from '../errors';
import { guardFilter } from './query-filter';

/**
 * Visibility queries of the operator commands. Every one is restricted to the product's workflow type, and
 * each condition is guarded and put in parentheses, so that an `OR` in an operator's filter cannot reach
 * other workflows.
 */
export function ordersQuery(...conditions: (string | undefined)[]): string {
  const given = conditions.filter((condition): condition is string => condition !== undefined);
  return [`WorkflowType = '${WORKFLOW_TYPE}'`, ...given.map((condition) => `(${guardFilter(condition)})`)].join(
    ' AND ',
  );
}

export const RUNNING = "ExecutionStatus = 'Running'";

export function phaseCondition(phase: Phase): string {
  return `${searchAttributes.phase.name} = '${phase}'`;
}

export function parsePhase(value: string): Phase {
  if ((PHASES as readonly string[]).includes(value)) return value as Phase;
  throw new UsageError(`unknown phase '${value}' (one of ${PHASES.join(', ')})`);
}

/**
 * An operator's list filter: refused at once when empty or when it could reach past the parentheses it is
 * put in (query-filter.ts); the rest of its syntax is the server's to judge.
 */
export function listFilter(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const filter = value.trim();
  if (filter === '') throw new UsageError(`--query needs a list filter, such as "AmazonSellerId = 'A2EXAMPLE'"`);
  return guardFilter(filter);
}

/** One order as visibility holds it. Attributes it does not hold yet are null, so the JSON shape is stable. */
export interface OrderRow {
  amazonOrderId: string;
  phase: string | null;
  solicitAfter: string | null;
  solicitBefore: string | null;
  marketplaceId: string | null;
  sellerId: string | null;
  /** Temporal's execution status: RUNNING, COMPLETED, FAILED, TERMINATED, ... */
  workflowStatus: string;
}

export function orderRow(
  info: Pick<WorkflowExecutionInfo, 'workflowId' | 'status' | 'typedSearchAttributes'>,
): OrderRow {
  const attributes = info.typedSearchAttributes;
  return {
    amazonOrderId: info.workflowId,
    phase: attributes.get(searchAttributes.phase) ?? null,
    solicitAfter: attributes.get(searchAttributes.solicitAfter)?.toISOString() ?? null,
    solicitBefore: attributes.get(searchAttributes.solicitBefore)?.toISOString() ?? null,
    marketplaceId: attributes.get(searchAttributes.marketplaceId) ?? null,
    sellerId: attributes.get(searchAttributes.sellerId) ?? null,
    workflowStatus: info.status.name,
  };
}

/** The first `limit` orders the query matches, in visibility's order, and whether more match. */
export function listOrders(
  client: Client,
  query: string,
  limit: number,
): Promise<{ orders: OrderRow[]; more: boolean }> {
  return judgingFilter(async () => {
    const orders: OrderRow[] = [];
    for await (const info of client.workflow.list({ query, pageSize: Math.min(limit + 1, 1000) })) {
      if (orders.length === limit) return { orders, more: true };
      orders.push(orderRow(info));
    }
    return { orders, more: false };
  });
}

/**
 * The first `limit` orders the query matches, in visibility's order, in as few pages as that takes and not
 * one more: whether more match is for a count to say.
 */
export function firstOrders(client: Client, query: string, limit: number): Promise<OrderRow[]> {
  return judgingFilter(async () => {
    const orders: OrderRow[] = [];
    if (limit <= 0) return orders;
    for await (const info of client.workflow.list({ query, pageSize: Math.min(limit, 1000) })) {
      orders.push(orderRow(info));
      if (orders.length === limit) break;
    }
    return orders;
  });
}

/** Every order the query matches, handed to `visit` page by page as visibility returns them. */
export function forEachOrder(client: Client, query: string, visit: (order: OrderRow) => void): Promise<void> {
  return judgingFilter(async () => {
    for await (const info of client.workflow.list({ query, pageSize: 1000 })) visit(orderRow(info));
  });
}

export function countOrders(client: Client, query: string): Promise<number> {
  return judgingFilter(async () => (await client.workflow.count(query)).count);
}

/**
 * Orders per phase. One count per phase rather than `GROUP BY SolicitationPhase`, which the Temporal dev
 * server's SQL visibility refuses (it groups by ExecutionStatus only); counts run concurrently.
 */
export async function countOrdersByPhase(client: Client, filter?: string): Promise<Record<Phase, number>> {
  const counts = await Promise.all(
    PHASES.map((phase) => countOrders(client, ordersQuery(phaseCondition(phase), filter))),
  );
  return Object.fromEntries(PHASES.map((phase, index) => [phase, counts[index] ?? 0])) as Record<Phase, number>;
}

/** A query the server refuses is the operator's filter at fault: bad input, exit code 2. */
export async function judgingFilter<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const grpc = grpcError(error);
    if (grpc?.code === GrpcStatus.InvalidArgument)
      throw new UsageError(`bad list filter: ${grpc.details}`, { cause: error });
    throw error;
  }
}
