import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ensureQueueWithDeadLetterQueue, localSqsClient } from '../../src/local/sqs';
import { startSpApiSimulator, type SpApiSimulator } from '../../src/simulator';
import { ensureBuilt } from '../helpers/cli';
import { runSolicit } from '../helpers/run-solicit';
import { runServers } from '../setup/servers';

/** `solicit rotate-secret` against the simulator: one call, and the new secret arrives on the registered queue. */

const { sqsEndpoint } = runServers();
const sqs = localSqsClient(sqsEndpoint);
let sim: SpApiSimulator;

beforeAll(async () => {
  ensureBuilt();
  // Amazon allows one call a minute; this test makes two.
  sim = await startSpApiSimulator({ usagePlans: { rotateApplicationClientSecret: { ratePerSecond: 10, burst: 2 } } });
});
afterAll(async () => {
  await sim?.close();
  sqs.destroy();
});

it('asks Amazon for a new secret, which arrives as a notice on the queue and is never printed', async () => {
  const { LWA_REFRESH_TOKEN: _token, SPAPI_SELLER_ID: _seller, ...app } = sim.env();
  const refused = await runSolicit(['rotate-secret'], app);
  expect(refused.code).toBe(1);
  expect(refused.stderr.trim().split('\n')).toHaveLength(1);
  expect(refused.stderr).toContain('Application is not enrolled for rotation notification');

  const queues = await ensureQueueWithDeadLetterQueue(sqs, `rotate-cli-${Date.now().toString(36)}-${process.pid}`);
  sim.setApplicationQueue({ endpoint: sqsEndpoint, url: queues.queueUrl });
  const rotated = await runSolicit(['rotate-secret'], app);
  expect(rotated.code).toBe(0);
  expect(rotated.stdout).toContain('rotation requested');
  await sim.applicationNotificationsSent();
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queues.queueUrl, WaitTimeSeconds: 5, MaxNumberOfMessages: 10 }),
  );
  const notice = JSON.parse(Messages![0]!.Body!) as {
    notificationType: string;
    payload: { applicationOAuthClientNewSecret: { clientId: string; newClientSecret: string } };
  };
  expect(notice.notificationType).toBe('APPLICATION_OAUTH_CLIENT_NEW_SECRET');
  expect(notice.payload.applicationOAuthClientNewSecret).toMatchObject({
    clientId: sim.clientId,
    newClientSecret: sim.clientSecret,
  });
  expect(rotated.stdout + rotated.stderr).not.toContain(sim.clientSecret);
  expect(sim.requests.filter((request) => request.operation === 'rotateApplicationClientSecret')).toHaveLength(2);
});
