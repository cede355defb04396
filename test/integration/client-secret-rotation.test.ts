import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ReviewSolicitationResult } from '../../src/domain/contract';
import { freePort } from '../../src/local/processes';
import { localSecretsManagerClient } from '../../src/local/secrets-manager';
import { ensureQueueWithDeadLetterQueue, LOCAL_SQS_CREDENTIALS, localSqsClient } from '../../src/local/sqs';
import {
  SIMULATOR_CLIENT_SECRET,
  SIMULATOR_SELLER_ID,
  startSpApiSimulator,
  type SpApiSimulator,
} from '../../src/simulator';
import { shippedMfn } from '../fixtures/notifications';
import { ensureBuilt, spawnSolicit, type SolicitProcess } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { DAY } from '../helpers/solicitation-harness';
import { iso, newOrderId } from '../helpers/orders';
import { sendAll } from '../helpers/sqs';
import { connectToDevServer, uniqueTaskQueue } from '../helpers/temporal';
import { runServers } from '../setup/servers';

/**
 * docs/spec.md "Credential lifecycle", end to end: Amazon's expiry notice reaches a spawned `solicit
 * ingest`, which asks the simulator for a new secret once; the simulator sends the new secret to the
 * queue; ingest checks and stores it; the worker takes it from the store; the old secret stops working
 * when its grace ends, and an order started after that is solicited without ever blocking.
 */

const { sqsEndpoint, temporalAddress, temporalNamespace, secretsManagerEndpoint } = runServers();
const sqs = localSqsClient(sqsEndpoint);
const secretsManager = localSecretsManagerClient(secretsManagerEndpoint);
const stamp = `${Date.now().toString(36)}-${process.pid}`;
const awsEnv = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: LOCAL_SQS_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_SQS_CREDENTIALS.secretAccessKey,
  AWS_ENDPOINT_URL_SQS: sqsEndpoint,
  AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManagerEndpoint,
};
let env: TestWorkflowEnvironment;
let dir: string;
const processes: SolicitProcess[] = [];

beforeAll(async () => {
  ensureBuilt();
  env = await connectToDevServer();
  dir = mkdtempSync(path.join(tmpdir(), 'rotation-'));
});
afterEach(async () => {
  for (const running of processes.splice(0)) {
    if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
    await running.exited;
  }
});
afterAll(async () => {
  sqs.destroy();
  secretsManager.destroy();
  rmSync(dir, { recursive: true, force: true });
  await env?.teardown();
});

/** Where the client secret is kept, and how the test reads it back. */
interface StoreCase {
  name: string;
  variable: 'LWA_CLIENT_SECRET_FILE' | 'LWA_CLIENT_SECRET_ARN';
  create(): Promise<{ setting: string; read(): Promise<string> }>;
}

const STORES: StoreCase[] = [
  {
    name: 'a file',
    variable: 'LWA_CLIENT_SECRET_FILE',
    create() {
      const file = path.join(dir, `client-secret-${Date.now()}`);
      writeFileSync(file, `${SIMULATOR_CLIENT_SECRET}\n`, { mode: 0o600 });
      return Promise.resolve({ setting: file, read: () => Promise.resolve(readFileSync(file, 'utf8').trim()) });
    },
  },
  {
    name: 'Secrets Manager (moto)',
    variable: 'LWA_CLIENT_SECRET_ARN',
    async create() {
      const { ARN } = await secretsManager.send(
        new CreateSecretCommand({ Name: `lwa-client-secret-${stamp}`, SecretString: SIMULATOR_CLIENT_SECRET }),
      );
      return {
        setting: ARN!,
        read: async () =>
          (await secretsManager.send(new GetSecretValueCommand({ SecretId: ARN }))).SecretString!.trim(),
      };
    },
  },
];

/** A history's text with every payload decoded, so that a secret cannot hide in base64. */
function historyText(history: unknown): string {
  return JSON.stringify(history, (_key, value: unknown) =>
    value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value,
  );
}

async function lwaStatus(sim: SpApiSimulator, secret: string): Promise<number> {
  const response = await fetch(sim.lwaUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope: 'sellingpartnerapi::notifications',
      client_id: sim.clientId,
      client_secret: secret,
    }),
  });
  return response.status;
}

describe.each(STORES)('client secret rotation with the secret in $name', (store) => {
  it('rotates once on the expiry notice, stores the new secret, and no order blocks across the switch', async () => {
    const queues = await ensureQueueWithDeadLetterQueue(sqs, `rotation-${store.variable.length}-${stamp}`, {
      visibilityTimeoutSeconds: 5,
    });
    // The simulator's clock runs with the wall clock until the test moves it past the old secret's grace.
    let offsetMs = 0;
    const sim = await startSpApiSimulator({
      now: () => new Date(Date.now() + offsetMs),
      applicationQueue: { endpoint: sqsEndpoint, url: queues.queueUrl },
    });
    try {
      const kept = await store.create();
      const taskQueue = uniqueTaskQueue('rotation');
      const metricsAddress = `127.0.0.1:${await freePort()}`;
      const { LWA_CLIENT_SECRET: _plain, ...simEnv } = sim.env();
      const common = {
        ...simEnv,
        ...awsEnv,
        [store.variable]: kept.setting,
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_NAMESPACE: temporalNamespace,
        TASK_QUEUE: taskQueue,
      };
      const worker = spawnSolicit(['worker'], { ...common, SPAPI_MAX_RPS: '100' });
      const ingest = spawnSolicit(['ingest'], {
        ...common,
        SQS_QUEUE_URL: queues.queueUrl,
        METRICS_ADDRESS: metricsAddress,
        LOG_LEVEL: 'debug',
      });
      processes.push(worker, ingest);
      await worker.waitForLogs((line) => line.message === 'workers started');
      await ingest.waitForLogs((line) => line.message === 'ingest started');
      expect(ingest.logs.find((line) => line.message === 'ingest started')).toMatchObject({
        rotation: 'auto',
      });

      // Amazon's reminder, delivered twice as SQS may: one rotation call all the same.
      const expiresAt = new Date(Date.now() + 7 * DAY);
      await sim.sendClientSecretExpiryNotice(expiresAt);
      await sim.sendClientSecretExpiryNotice(expiresAt);
      await ingest.waitForLogs((line) => line.message === 'client secret rotated', 1, 60_000);
      const rotations = sim.requests.filter((request) => request.operation === 'rotateApplicationClientSecret');
      expect(rotations.map((request) => request.status)).toEqual([204]);
      const newSecret = sim.clientSecret;
      expect(newSecret).not.toBe(SIMULATOR_CLIENT_SECRET);
      expect(await kept.read()).toBe(newSecret);

      // The worker takes the stored secret on its own, within docs/spec.md's 10 seconds.
      await worker.waitForLogs((line) => line.message === `${store.variable} re-read`, 1, 10_000);
      const gauge = await eventually(
        'the expiry gauge at the new secret',
        async () => (await (await fetch(`http://${metricsAddress}/metrics`)).text()).split('\n'),
        (lines) => lines.some((line) => line.startsWith('lwa_client_secret_expiry_timestamp_seconds ')),
      );
      const expiry = Number(
        gauge.find((line) => line.startsWith('lwa_client_secret_expiry_timestamp_seconds '))!.split(' ')[1],
      );
      expect(expiry * 1000).toBeGreaterThan(Date.now() + 170 * DAY);

      // Past the old secret's grace: Amazon refuses it, and every access token issued so far has expired.
      offsetMs = 8 * DAY;
      sim.expireAccessTokens();
      expect(await lwaStatus(sim, SIMULATOR_CLIENT_SECRET)).toBe(401);
      const refusalsBefore = sim.tokenRequests.filter((request) => request.status !== 200).length;

      const now = Date.now();
      const amazonOrderId = newOrderId();
      const dates = { earliest: iso(now - 10 * DAY), latest: iso(now - 8 * DAY) };
      sim.addOrder({
        amazonOrderId,
        marketplaceId: 'ATVPDKIKX0DER',
        earliestDeliveryDate: dates.earliest,
        latestDeliveryDate: dates.latest,
      });
      await sendAll(sqs, queues.queueUrl, [
        JSON.stringify(
          shippedMfn({ amazonOrderId, sellerId: SIMULATOR_SELLER_ID, deliveryDates: dates, eventTime: iso(now) }),
        ),
      ]);
      const handle = await eventually(
        'the order started by ingest',
        async () => {
          const found = env.client.workflow.getHandle(amazonOrderId);
          return (
            (await found
              .describe()
              .then(() => found)
              .catch(() => undefined)) ?? undefined
          );
        },
        (found) => found !== undefined,
      );
      const result = (await handle!.result()) as ReviewSolicitationResult;
      expect(result).toMatchObject({ outcome: 'solicited', checks: 1 });
      expect(sim.tokenRequests.filter((request) => request.status !== 200).length).toBe(refusalsBefore);
      const history = historyText(await handle!.fetchHistory());
      expect(history).not.toContain('"blocked"');

      ingest.child.kill('SIGTERM');
      worker.child.kill('SIGTERM');
      expect((await ingest.exited).code).toBe(0);
      expect((await worker.exited).code).toBe(0);
      const everything = [worker, ingest]
        .flatMap((running) => [JSON.stringify(running.logs), ...running.otherOutput, running.stdout()])
        .join('\n');
      for (const secret of [SIMULATOR_CLIENT_SECRET, newSecret]) {
        expect(everything).not.toContain(secret);
        expect(history).not.toContain(secret);
      }
    } finally {
      await sim.close();
    }
  });
});
