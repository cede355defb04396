import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import type { Client } from '@temporalio/client';
import { Consumer } from 'sqs-consumer';
import type { Logger } from '../logging';
import { messageHandler, type OrderRouting } from './handle-message';
import { createIngestMetrics, type IngestMetrics } from './metrics';
import { createTemporalAvailability } from './temporal-availability';
import { ConfigError } from '../errors';
import { GrpcStatus, grpcError } from '../grpc';

export interface IngestOptions extends OrderRouting {
  /** Settings for the SQS client; `{}` takes the AWS SDK's own (AWS_REGION, AWS_ENDPOINT_URL_SQS, credential chain). */
  sqs: SQSClientConfig;
  queueUrl: string;
  /** Receive requests (of up to 10 messages each) handled at the same time. */
  batchesInFlight?: number;
  /** Long-poll duration of each receive. */
  waitTimeSeconds?: number;
  /** Where the counts of `ingest_*` metrics go. */
  metrics?: IngestMetrics;
  /** How often Temporal is probed during an outage: the first delay, doubled up to the last. */
  probeDelaysMs?: { first: number; max: number };
}

export interface Ingest {
  /** Checks the queue is reachable, then starts receiving. */
  start(): Promise<void>;
  /** Stops receiving, lets every message in hand finish (accepted by Temporal, then deleted), then resolves. */
  stop(): Promise<void>;
}

const SQS_MAX_BATCH = 10;
/** How long `stop()` waits for messages in hand: beyond the Temporal deadline, plus the deletes. */
const DRAIN_LIMIT_MS = 30_000;
const PROBE_DEADLINE_MS = 5_000;

/**
 * Turns the ORDER_CHANGE queue into workflow starts and signals (docs/spec.md, "Ingest rules"). A message is
 * deleted only once Temporal has accepted what it asked for, or answered that there is nothing to do;
 * anything that cannot be read is logged and left in place, so the queue's redrive policy moves it to
 * the dead-letter queue while the other messages keep flowing.
 */
export function createIngest(options: IngestOptions): Ingest {
  const { queueUrl, logger } = options;
  const stopReceiving = new AbortController();
  const sqs = new SQSClient(options.sqs);
  cutLongPollsOn(sqs, stopReceiving.signal);

  const metrics = options.metrics ?? createIngestMetrics();
  const availability = createTemporalAvailability({
    probe: () => probeTemporal(options.client),
    logger,
    onChange: (available) => metrics.setTemporalAvailable(available),
    firstDelayMs: options.probeDelaysMs?.first,
    maxDelayMs: options.probeDelaysMs?.max,
  });
  const handleMessage = messageHandler({ ...options, metrics, availability });
  const consumers = Array.from({ length: options.batchesInFlight ?? 4 }, () =>
    Consumer.create({
      queueUrl,
      sqs,
      batchSize: SQS_MAX_BATCH,
      waitTimeSeconds: options.waitTimeSeconds ?? 20,
      messageSystemAttributeNames: ['ApproximateReceiveCount'],
      pollingCompleteWaitTimeMs: DRAIN_LIMIT_MS,
      // While Temporal is out nothing is received, so no message spends its receive count on the outage.
      preReceiveMessageCallback: () => availability.whenAvailable(),
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
        availability.close();
        await Promise.all(stopped);
        sqs.destroy();
      })();
      return stopping;
    },
  };
}

/** A workflow ID no order has: the probe's signal to it is refused as not found by a server that would take it. */
const PROBE_WORKFLOW_ID = 'review-solicitations-ingest-probe';

/**
 * Answers only when the server would take ingest's calls again: it is reachable, takes the credentials, has
 * the namespace (DescribeNamespace) and lets this caller write to it (a signal, answered NotFound). A role
 * that may read but no longer write would otherwise pass the probe and fail every message until the redrive
 * policy moved it to the dead-letter queue.
 */
async function probeTemporal(client: Client): Promise<void> {
  const { namespace, identity } = client.options;
  await client.withDeadline(Date.now() + PROBE_DEADLINE_MS, async () => {
    await client.connection.workflowService.describeNamespace({ namespace });
    try {
      await client.connection.workflowService.signalWorkflowExecution({
        namespace,
        identity,
        workflowExecution: { workflowId: PROBE_WORKFLOW_ID },
        signalName: 'probe',
      });
    } catch (error) {
      if (grpcError(error)?.code !== GrpcStatus.NotFound) throw error;
    }
  });
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
