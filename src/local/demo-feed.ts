import { setTimeout as delay } from 'node:timers/promises';
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { searchAttributes, type Phase, type ReviewSolicitationInput } from '../domain/contract';
import { DEMO_ORDER_IDS, demoFeedTime, demoOrders, type DemoOrder } from './demo-orders';
import { waitUntil } from './processes';

export interface DemoPlan {
  /** When the demo was (or is now being) fed: the orders' dates are relative to it. */
  feedAt: Date;
  orders: DemoOrder[];
  /** Orders whose workflows exist already, from an earlier start on the same data: they are not fed again. */
  present: Set<string>;
}

/**
 * The demo orders for this Temporal database: the ones fed by an earlier start keep the dates they were fed
 * with (read back from a workflow's input), so that Amazon's side can be told the same orders again.
 */
export async function planDemo(client: Client, sellerId: string): Promise<DemoPlan> {
  const described = await Promise.all(DEMO_ORDER_IDS.map((id) => describeIfExists(client, id)));
  const present = new Set(DEMO_ORDER_IDS.filter((_, index) => described[index] !== undefined));
  const [first] = present;
  const feedAt = first === undefined ? new Date() : await feedTimeOf(client, first);
  return { feedAt, orders: demoOrders(feedAt, sellerId), present };
}

/**
 * Sends the notifications of the demo orders not yet present through the queue, the way Amazon would. A
 * follow-up notification (the Canceled after a Shipped) waits until the first has reached Temporal: SQS does
 * not keep order, and a Canceled for an order the product has not seen starts nothing.
 */
export async function feedDemo(sqs: SQSClient, queueUrl: string, client: Client, plan: DemoPlan): Promise<string[]> {
  const missing = plan.orders.filter((order) => !plan.present.has(order.amazonOrderId));
  if (missing.length === 0) return [];
  const { Failed } = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: missing.map((order, index) => ({
        Id: String(index),
        MessageBody: JSON.stringify(order.notifications[0]),
      })),
    }),
  );
  if (Failed?.length) throw new Error(`the queue refused ${Failed.length} demo notifications: ${Failed[0]?.Message}`);
  await Promise.all(
    missing
      .filter((order) => order.notifications.length > 1)
      .map(async (order) => {
        await waitUntil(`demo order ${order.amazonOrderId} in Temporal (is ingest consuming ${queueUrl}?)`, () =>
          client.workflow.getHandle(order.amazonOrderId).describe(),
        );
        for (const notification of order.notifications.slice(1)) {
          await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(notification) }));
        }
      }),
  );
  return missing.map((order) => order.amazonOrderId);
}

/** Each demo order's phase as Temporal knows it, once every order has reached its own or `timeoutMs` passed. */
export async function demoPhases(
  client: Client,
  orders: DemoOrder[],
  timeoutMs: number,
): Promise<Map<string, Phase | undefined>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const phases = new Map(
      await Promise.all(
        orders.map(async (order) => {
          const description = await describeIfExists(client, order.amazonOrderId);
          return [
            order.amazonOrderId,
            description?.typedSearchAttributes.get(searchAttributes.phase) as Phase | undefined,
          ] as const;
        }),
      ),
    );
    if (orders.every((order) => phases.get(order.amazonOrderId) === order.phase) || Date.now() > deadline) {
      return phases;
    }
    await delay(250);
  }
}

async function describeIfExists(client: Client, workflowId: string): Promise<WorkflowExecutionDescription | undefined> {
  try {
    return await client.workflow.getHandle(workflowId).describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

async function feedTimeOf(client: Client, amazonOrderId: string): Promise<Date> {
  const history = await client.workflow.getHandle(amazonOrderId).fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  const input = payload ? defaultPayloadConverter.fromPayload<ReviewSolicitationInput>(payload) : undefined;
  const feedAt = input && demoFeedTime(amazonOrderId, input.shippedAt);
  if (!feedAt) throw new Error(`workflow ${amazonOrderId} was not started with a demo order's input`);
  return feedAt;
}
