import { ensureQueueWithDeadLetterQueue, LOCAL_SQS_CREDENTIALS, localSqsClient } from '../../src/local/sqs';
import { shippedMfn } from '../fixtures/notifications';
import { ensureBuilt, spawnSolicit } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { peekMessages, queueDepth, sendAll } from '../helpers/sqs';
import { runServers } from '../setup/servers';

/** `solicit redrive` against the SQS-compatible server (ElasticMQ, its own process): output, moves, exit codes. */

const { sqsEndpoint } = runServers();
const sqs = localSqsClient(sqsEndpoint);
let names = 0;

beforeAll(() => ensureBuilt());
afterAll(() => sqs.destroy());

async function queuesWithDeadLetters(count: number) {
  names += 1;
  const queue = await ensureQueueWithDeadLetterQueue(sqs, `redrive-${Date.now().toString(36)}-${process.pid}-${names}`);
  const orderIds = Array.from({ length: count }, (_, i) => `redrive-${names}-${i}`);
  await sendAll(sqs, queue.deadLetterQueueUrl, [
    ...orderIds.map((amazonOrderId) => JSON.stringify(shippedMfn({ amazonOrderId }))),
    'not json at all',
  ]);
  return { queue, orderIds };
}

async function solicit(args: string[], queueUrl: string) {
  const run = spawnSolicit(['redrive', ...args], {
    SQS_QUEUE_URL: queueUrl,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_SQS: new URL(queueUrl).origin,
    AWS_ACCESS_KEY_ID: LOCAL_SQS_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_SQS_CREDENTIALS.secretAccessKey,
    // This machine's Node 20 would otherwise get the SDK's multi-line notice on stderr.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.otherOutput };
}

const settled = (queueUrl: string, visible: number) =>
  eventually(
    `${queueUrl} holding ${visible}`,
    () => queueDepth(sqs, queueUrl),
    (depth) => depth.visible === visible && depth.inFlight === 0,
  );

it('a dry run prints each message and moves nothing', async () => {
  const { queue, orderIds } = await queuesWithDeadLetters(3);
  const result = await solicit(['--dry-run'], queue.queueUrl);
  expect(result).toMatchObject({ code: 0, stderr: [] });
  for (const id of orderIds) expect(result.stdout).toMatch(new RegExp(`^would move \\S+: order ${id} Shipped$`, 'm'));
  expect(result.stdout).toMatch(/^would move \S+: cannot be read: not JSON$/m);
  expect(result.stdout).toMatch(/^dry run: would move 4 messages \(1 that cannot be read\) from /m);
  await settled(queue.deadLetterQueueUrl, 4);
  expect(await queueDepth(sqs, queue.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
});

it('moves every message back to the queue, bodies intact', async () => {
  const { queue, orderIds } = await queuesWithDeadLetters(12);
  const result = await solicit([], queue.queueUrl);
  expect(result).toMatchObject({ code: 0, stderr: [] });
  expect(result.stdout.match(/^moved \S+: /gm)).toHaveLength(13);
  await settled(queue.deadLetterQueueUrl, 0);
  const bodies = [...(await peekMessages(sqs, queue.queueUrl, 13)).values()];
  expect(bodies).toHaveLength(13);
  expect(bodies).toContain('not json at all');
  for (const id of orderIds) expect(bodies).toContain(JSON.stringify(shippedMfn({ amazonOrderId: id })));
});

it('--max limits how many move', async () => {
  const { queue } = await queuesWithDeadLetters(4);
  const result = await solicit(['--max', '2'], queue.queueUrl);
  expect(result).toMatchObject({ code: 0, stderr: [] });
  expect(result.stdout.match(/^moved \S+: /gm)).toHaveLength(2);
  await settled(queue.queueUrl, 2);
  await settled(queue.deadLetterQueueUrl, 3);
});

it('exit 2 with one line for a queue without a redrive policy or a bad --max; 1 when SQS cannot be reached', async () => {
  const { queue } = await queuesWithDeadLetters(0);
  const plain = await solicit([], queue.deadLetterQueueUrl);
  expect(plain.code).toBe(2);
  expect(plain.stderr).toEqual([
    expect.stringMatching(/^solicit redrive: SQS_QUEUE_URL: the queue .* has no redrive policy/),
  ]);
  const badMax = await solicit(['--max', 'ten'], queue.queueUrl);
  expect(badMax).toMatchObject({
    code: 2,
    stderr: ["solicit redrive: --max must be a positive whole number, got 'ten'"],
  });
  const unreachable = await solicit([], 'http://127.0.0.1:9/000000000000/nowhere');
  expect(unreachable.code).toBe(1);
  expect(unreachable.stderr).toHaveLength(1);
});
