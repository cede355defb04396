import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
  type SQSClientConfig,
} from '@aws-sdk/client-sqs';
import type { Client } from '@temporalio/client';
import { Consumer } from 'sqs-consumer';
import type { SolicitationPolicy } from '../domain/contract';
import type { Logger } from '../logging';
import { parseOrderChangeNotification } from './notification';
import { decideOrder } from './order';
import { applyOrderDecision } from './order';
import { ConfigError } from '../errors';

export interface IngestOptions {
  /** Settings for the SQS client; `{}` takes the AWS SDK's own (AWS_REGION, AWS_ENDPOINT_URL_SQS, credential chain). */
  sqs: SQSClientConfig;
  queueUrl: string;
  client: Client;
  taskQueue: string;
  /** The policy new orders are started with. */
  policy: SolicitationPolicy;
  /** The sellers served, from SPAPI_SELLERS_FILE; without it every seller on the queue is served. */
  sellerIds?: { has(sellerId: string): boolean };
  logger: Logger;
  /** Receive requests (of up to 10 messages each) handled at the same time. */
  batchesInFlight?: number;
  /** Long-poll duration of each receive. */
  waitTimeSeconds?: number;
}

export interface Ingest {
  /** Checks the queue is reachable, then starts receiving. */
  start(): Promise<void>;
  /** Stops receiving, lets every message in hand finish (accepted by Temporal, then deleted), then resolves. */
  stop(): Promise<void>;
}

const SQS_MAX_BATCH = 10;
/** A Temporal call that takes longer fails; its message comes back after the queue's visibility timeout. */
const TEMPORAL_DEADLINE_MS = 15_000;
/** How long `stop()` waits for messages in hand: beyond the Temporal deadline, plus the deletes. */
const DRAIN_LIMIT_MS = 30_000;

/**
 * Turns the ORDER_CHANGE queue into workflow starts and signals (SPEC.md, "Ingest rules"). A message is
 * deleted only once Temporal has accepted what it asked for, or answered that there is nothing to do;
 * anything that cannot be read is logged and left in place, so the queue's redrive policy moves it to
 * the dead-letter queue while the other messages keep flowing.
 */
export function createIngest(options: IngestOptions): Ingest {
  const { queueUrl, logger } = options;
  const stopReceiving = new AbortController();
  const sqs = new SQSClient(options.sqs);
  cutLongPollsOn(sqs, stopReceiving.signal);

  const handleMessage = messageHandler(options);
  const consumers = Array.from({ length: options.batchesInFlight ?? 4 }, () =>
    Consumer.create({
      queueUrl,
      sqs,
      batchSize: SQS_MAX_BATCH,
      waitTimeSeconds: options.waitTimeSeconds ?? 20,
      messageSystemAttributeNames: ['ApproximateReceiveCount'],
      pollingCompleteWaitTimeMs: DRAIN_LIMIT_MS,
      handleMessageBatch: async (messages) => {
        logger.debug('messages received', { messageIds: messages.map((message) => message.MessageId) });
        const handled = await Promise.all(
          messages.map(async (message) => ((await handleMessage(message)) ? message : [])),
        );
        return handled.flat();
      },
    }),
  );
  for (const consumer of consumers) {
    consumer.on('error', (error, messages) => {
      // Cutting the long polls short on stop is expected; anything else about the queue is worth hearing.
      if (stopReceiving.signal.aborted && messages === undefined) return;
      const messageIds = [messages ?? []].flat().map((message) => message.MessageId);
      logger.error('SQS request failed', { queueUrl, error, ...(messageIds.length > 0 && { messageIds }) });
    });
  }

  let stopping: Promise<void> | undefined;
  return {
    async start() {
      await checkQueue(sqs, queueUrl, logger);
      if (stopReceiving.signal.aborted) return;
      for (const consumer of consumers) consumer.start();
    },
    stop() {
      stopping ??= (async () => {
        const running = consumers.filter((consumer) => consumer.status.isRunning);
        const stopped = running.map((consumer) => whenStopped(consumer, logger));
        for (const consumer of running) consumer.stop();
        stopReceiving.abort();
        await Promise.all(stopped);
        sqs.destroy();
      })();
      return stopping;
    },
  };
}

/** Handles one message; true when it may be deleted. Never throws. */
function messageHandler({ client, taskQueue, policy, sellerIds, logger }: IngestOptions) {
  return async (message: Message): Promise<boolean> => {
    const messageId = message.MessageId;
    const leave = (reason: string) => {
      const receiveCount = Number(message.Attributes?.ApproximateReceiveCount ?? 0);
      logger.warn('message left for the dead-letter queue', { messageId, receiveCount, reason });
      return false;
    };

    const parsed = parseOrderChangeNotification(message.Body);
    if (!parsed.ok) return leave(parsed.reason);
    const order = parsed.notification.Payload.OrderChangeNotification;
    const { SellerId: sellerId, AmazonOrderId: amazonOrderId } = order;
    if (sellerIds && !sellerIds.has(sellerId)) return leave(`seller ${sellerId} is not in SPAPI_SELLERS_FILE`);

    const decision = decideOrder(parsed.notification, policy);
    try {
      const outcome = await client.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, () =>
        applyOrderDecision(client, taskQueue, decision),
      );
      const fields = { messageId, amazonOrderId, orderStatus: order.Summary.OrderStatus, outcome };
      if (outcome === 'ignored') logger.debug('order handled', fields);
      else logger.info('order handled', fields);
      return true;
    } catch (error) {
      logger.error('Temporal did not take the order; the message will be received again', {
        messageId,
        amazonOrderId,
        error,
      });
      return false;
    }
  };
}

async function checkQueue(sqs: SQSClient, queueUrl: string, logger: Logger): Promise<void> {
  try {
    await sqs.config.region();
  } catch {
    throw new ConfigError('AWS_REGION: not set, and no region in the AWS profile');
  }
  let redrivePolicy: string | undefined;
  try {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] }),
    );
    redrivePolicy = Attributes?.RedrivePolicy;
  } catch (error) {
    throw new Error(`cannot reach the SQS queue ${queueUrl}: ${(error as Error).message}`, { cause: error });
  }
  if (!redrivePolicy) {
    logger.warn('the queue has no redrive policy: messages that cannot be read will be received again forever', {
      queueUrl,
    });
  }
}

function whenStopped(consumer: Consumer, logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    consumer.once('waiting_for_polling_to_complete_timeout_exceeded', () =>
      logger.warn('gave up waiting for messages in hand; they return to the queue after its visibility timeout'),
    );
    consumer.once('stopped', () => resolve());
  });
}

/**
 * Lets `stop()` end the long polls in progress instead of waiting out WaitTimeSeconds. Only receives are
 * cut: a message whose receive was cut returns to the queue after its visibility timeout, and the deletes
 * of handled messages always complete.
 */
function cutLongPollsOn(sqs: SQSClient, signal: AbortSignal): void {
  type SendOptions = { abortSignal?: AbortSignal };
  const send = sqs.send.bind(sqs) as (command: unknown, options?: SendOptions) => Promise<unknown>;
  sqs.send = ((command: unknown, options?: SendOptions) =>
    send(
      command,
      command instanceof ReceiveMessageCommand
        ? { ...options, abortSignal: options?.abortSignal ? AbortSignal.any([options.abortSignal, signal]) : signal }
        : options,
    )) as SQSClient['send'];
}
