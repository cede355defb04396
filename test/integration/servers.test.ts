import { ReceiveMessageCommand, SendMessageCommand, DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { searchAttributes } from '../../src/domain/contract';
import { ensureQueueWithDeadLetterQueue, localSqsClient } from '../../src/local/sqs';
import { runServers } from '../setup/servers';
import { connectToDevServer, createTimeSkippingEnv, uniqueTaskQueue } from '../helpers/temporal';
import { sleeper } from '../fixtures/workflows/sleeper';
import { forTheFile } from '../helpers/for-the-file';
import { fixtureWorkflows, withWorker } from '../helpers/workers';

const workflowsPath = fixtureWorkflows('sleeper');
const THIRTY_DAYS_MS = 30 * 24 * 60 * 60 * 1000;

describe('time-skipping test server', () => {
  const env = forTheFile(createTimeSkippingEnv);

  it('runs a workflow that sleeps 30 days in seconds of real time', async () => {
    const taskQueue = uniqueTaskQueue('sleeper');
    const startedAt = Date.now();
    const slept = await withWorker(env, { taskQueue, workflowsPath }, () =>
      env.client.workflow.execute(sleeper, { taskQueue, workflowId: 'sleeper-30d', args: [{ duration: '30 days' }] }),
    );
    expect(slept).toBeGreaterThanOrEqual(THIRTY_DAYS_MS);
    expect(Date.now() - startedAt).toBeLessThan(60_000);
  });
});

describe('Temporal dev server', () => {
  const env = forTheFile(connectToDevServer);

  it('runs a workflow and indexes the product search attributes', async () => {
    const taskQueue = uniqueTaskQueue('dev-server');
    const workflowId = `dev-server-probe-${Date.now()}`;
    await withWorker(env, { taskQueue, workflowsPath }, () =>
      env.client.workflow.execute(sleeper, {
        taskQueue,
        workflowId,
        args: [{ duration: '10ms' }],
        typedSearchAttributes: [{ key: searchAttributes.phase, value: 'waiting' }],
      }),
    );
    const description = await env.client.workflow.getHandle(workflowId).describe();
    expect(description.typedSearchAttributes.get(searchAttributes.phase)).toBe('waiting');
  });
});

describe('SQS-compatible server', () => {
  const { sqsEndpoint } = runServers();
  const sqs = localSqsClient(sqsEndpoint);
  afterAll(() => sqs.destroy());

  it('delivers a message sent to the queue', async () => {
    const { queueUrl } = await ensureQueueWithDeadLetterQueue(sqs, `probe-${Date.now()}`);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"hello":"queue"}' }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5 }));
    expect(Messages?.map((m) => m.Body)).toEqual(['{"hello":"queue"}']);
  });

  it('moves a message that is never deleted to the dead-letter queue', async () => {
    const queues = await ensureQueueWithDeadLetterQueue(sqs, `redrive-${Date.now()}`, {
      maxReceiveCount: 2,
      visibilityTimeoutSeconds: 1,
    });
    await sqs.send(new SendMessageCommand({ QueueUrl: queues.queueUrl, MessageBody: 'not json' }));
    // SQS moves the message on the first receive after maxReceiveCount, so keep receiving until it is gone.
    const bodies: string[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queues.queueUrl, WaitTimeSeconds: 2, MaxNumberOfMessages: 1 }),
      );
      if (!Messages?.length && bodies.length >= 2) break;
      bodies.push(...(Messages ?? []).map((m) => m.Body!));
    }
    expect(bodies).toEqual(['not json', 'not json']);
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queues.deadLetterQueueUrl, WaitTimeSeconds: 5 }),
    );
    expect(Messages?.map((m) => m.Body)).toEqual(['not json']);
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: queues.deadLetterQueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle }),
    );
  });
});
