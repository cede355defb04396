import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ReviewSolicitationResult } from '../../src/domain/contract';
import { startOrder } from '../../src/orders/start';
import { freePort } from '../../src/local/processes';
import { SIMULATOR_SELLER_ID, startSpApiSimulator, type SpApiSimulator } from '../../src/simulator';
import { ensureBuilt, spawnSolicit, type SolicitProcess } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { DAY } from '../helpers/solicitation-harness';
import { iso, orderInput } from '../helpers/orders';
import { connectToDevServer, uniqueTaskQueue } from '../helpers/temporal';
import { forTheFile } from '../helpers/for-the-file';
import { runServers } from '../setup/servers';

/** `solicit worker` with METRICS_ADDRESS, soliciting one order through the SP-API simulator, scraped like Prometheus. */

const { temporalAddress, temporalNamespace } = runServers();
const env = forTheFile(connectToDevServer);
let sim: SpApiSimulator;
let worker: SolicitProcess | undefined;

beforeAll(async () => {
  ensureBuilt();
  sim = await startSpApiSimulator();
});
afterEach(() => {
  if (worker && worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
});
afterAll(async () => {
  await sim?.close();
});

interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** The samples of one metric in Prometheus' text format. */
function samples(exposition: string, name: string): Sample[] {
  return exposition.split('\n').flatMap((line) => {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) return [];
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    return [{ labels, value: Number(match[3]) }];
  });
}

/** The sum of a metric's samples whose labels include `labels`. */
function total(exposition: string, name: string, labels: Record<string, string> = {}): number {
  return samples(exposition, name)
    .filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

it("exports Temporal's and the product's metrics for an order it solicited", async () => {
  const taskQueue = uniqueTaskQueue('worker-metrics');
  const metricsAddress = `127.0.0.1:${await freePort()}`;
  const now = Math.floor(Date.now() / 1000) * 1000;
  const input = orderInput({
    sellerId: SIMULATOR_SELLER_ID,
    shippedAt: iso(now - 8 * DAY),
    earliestDeliveryDate: iso(now - 6 * DAY),
    latestDeliveryDate: iso(now - 5 * DAY),
  });
  sim.addOrder({
    ...input,
    earliestDeliveryDate: input.earliestDeliveryDate!,
    latestDeliveryDate: input.latestDeliveryDate!,
  });
  // The first eligibility check is throttled, so that responses are counted by status.
  sim.injectFailures(1, { status: 429, operation: 'getSolicitationActionsForOrder' });

  worker = spawnSolicit(['worker'], {
    ...sim.env(),
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: temporalNamespace,
    TASK_QUEUE: taskQueue,
    SPAPI_MAX_RPS: '100',
    METRICS_ADDRESS: metricsAddress,
  });
  await worker.waitForLogs((line) => line.message === 'workers started');
  await startOrder(env.client, taskQueue, input);
  const result = (await env.client.workflow.getHandle(input.amazonOrderId).result()) as ReviewSolicitationResult;
  expect(result).toMatchObject({ outcome: 'solicited', checks: 1 });

  const scrape = async () => (await fetch(`http://${metricsAddress}/metrics`)).text();
  // The workflow's counter reaches the exporter once its last task has completed.
  const metrics = await eventually('the outcome counted', scrape, (text) =>
    text.includes('solicitation_outcomes_total{'),
  );
  // The SDK's meters label the product's metrics in its own words (taskQueue, activityType), Core's in snake case.
  const outcomes = { taskQueue, workflowType: 'reviewSolicitation' };
  expect(total(metrics, 'solicitation_outcomes_total', { ...outcomes, outcome: 'solicited' })).toBe(1);
  expect(total(metrics, 'solicitation_outcomes_total')).toBe(1);
  expect(total(metrics, 'solicitations_sent_total', { activityType: 'solicit' })).toBe(1);
  expect(total(metrics, 'eligibility_checks_total', { activityType: 'checkEligibility', offered: 'true' })).toBe(1);
  expect(total(metrics, 'eligibility_checks_total', { offered: 'false' })).toBe(0);
  const spApi = (operation: string, status: string) => total(metrics, 'spapi_responses_total', { operation, status });
  expect(spApi('getSolicitationActionsForOrder', '429')).toBe(1);
  expect(spApi('getSolicitationActionsForOrder', '200')).toBe(1);
  expect(spApi('createProductReviewAndSellerFeedbackSolicitation', '201')).toBe(1);
  // The token asked for at start serves both calls.
  expect(spApi('lwa', '200')).toBe(1);
  expect(total(metrics, 'spapi_responses_total')).toBe(4);
  // The SDK's own, from the same endpoint.
  const workflows = { task_queue: taskQueue, workflow_type: 'reviewSolicitation' };
  expect(total(metrics, 'temporal_workflow_completed', workflows)).toBe(1);
  expect(total(metrics, 'temporal_activity_execution_failed', { activity_type: 'checkEligibility' })).toBe(1);
  expect(total(metrics, 'temporal_activity_execution_latency_count', { activity_type: 'solicit' })).toBe(1);

  worker.child.kill('SIGTERM');
  expect(await worker.exited).toEqual({ code: 0, signal: null });
});

it('logs one error line per seller refused at start, counts it, and serves the others', async () => {
  const sellers = { A1SERVED: 'Atzr|served', A2REVOKED: 'Atzr|revoked' };
  const twoSellers = await startSpApiSimulator({ sellers });
  const dir = mkdtempSync(path.join(tmpdir(), 'worker-metrics-'));
  try {
    twoSellers.revokeSeller('A2REVOKED');
    const sellersFile = path.join(dir, 'sellers.json');
    writeFileSync(sellersFile, JSON.stringify(sellers));
    const metricsAddress = `127.0.0.1:${await freePort()}`;
    worker = spawnSolicit(['worker'], {
      ...twoSellers.env(),
      LWA_REFRESH_TOKEN: '',
      SPAPI_SELLERS_FILE: sellersFile,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: temporalNamespace,
      TASK_QUEUE: uniqueTaskQueue('worker-refused'),
      METRICS_ADDRESS: metricsAddress,
    });
    await worker.waitForLogs((line) => line.message === 'workers started');
    // The check runs beside the start-up: its lines may come after the workers'.
    await worker.waitForLogs((line) => line.message === 'credential refused: the orders of this seller wait blocked');
    const refused = worker.logs.filter((line) => line.level === 'error');
    expect(refused).toEqual([
      expect.objectContaining({
        message: 'credential refused: the orders of this seller wait blocked',
        sellerId: 'A2REVOKED',
        reason: expect.stringContaining('invalid_grant') as unknown,
      }),
    ]);
    expect(JSON.stringify(worker.logs)).not.toContain('Atzr|');
    const metrics = await eventually(
      'the refusal counted',
      async () => (await fetch(`http://${metricsAddress}/metrics`)).text(),
      (text) => text.includes('spapi_credential_refusals_total{'),
    );
    expect(total(metrics, 'spapi_credential_refusals_total', { seller: 'A2REVOKED' })).toBe(1);
    expect(total(metrics, 'spapi_credential_refusals_total')).toBe(1);
    expect(total(metrics, 'spapi_responses_total', { operation: 'lwa', status: '200' })).toBe(1);
    expect(total(metrics, 'spapi_responses_total', { operation: 'lwa', status: '400' })).toBe(1);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  } finally {
    await twoSellers.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('refuses a METRICS_ADDRESS that is not IP:port with one line and exit code 2', async () => {
  worker = spawnSolicit(['worker'], {
    ...sim.env(),
    TEMPORAL_ADDRESS: temporalAddress,
    METRICS_ADDRESS: 'localhost:9464',
  });
  expect(await worker.exited).toEqual({ code: 2, signal: null });
  expect(worker.otherOutput).toEqual([
    'solicit worker: METRICS_ADDRESS: must be IP:port, such as 0.0.0.0:9464 or [::]:9464',
  ]);
});
