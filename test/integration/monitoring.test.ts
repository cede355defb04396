import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { ReconcileRunResult } from '../../src/reconcile/workflow/contract';
import { freePorts, PROJECT_ROOT } from '../../src/local/processes';
import { ensureQueueWithDeadLetterQueue, localSqsClient } from '../../src/local/sqs';
import {
  SIMULATOR_REFRESH_TOKEN,
  SIMULATOR_SELLER_ID,
  startSpApiSimulator,
  type SpApiSimulator,
} from '../../src/simulator';
import { shippedMfn } from '../fixtures/notifications';
import { ensureBuilt, spawnSolicit, type SolicitProcess } from '../helpers/cli';
import { runSolicit } from '../helpers/run-solicit';
import { eventually } from '../helpers/eventually';
import { metricNames, startPrometheus, type Prometheus } from '../helpers/prometheus';
import { DAY } from '../helpers/solicitation-harness';
import { iso, newOrderId } from '../helpers/orders';
import { sendAll, localQueueEnv } from '../helpers/sqs';
import { connectToDevServer, uniqueTaskQueue } from '../helpers/temporal';
import { forTheFile } from '../helpers/for-the-file';
import { runServers } from '../setup/servers';

/**
 * The alert rules and the dashboard against Debian's Prometheus scraping a real `solicit worker` and
 * `solicit ingest`, after one order went from the queue through the SP-API simulator: every expression
 * evaluates, and every metric name it uses is one the two processes export.
 */

const ALERTS = path.join(PROJECT_ROOT, 'deploy', 'prometheus', 'alerts.yml');
const DASHBOARD = path.join(PROJECT_ROOT, 'deploy', 'grafana', 'dashboards', 'review-solicitations.json');
const { sqsEndpoint, temporalAddress, temporalNamespace } = runServers();
const sqs = localSqsClient(sqsEndpoint);
const env = forTheFile(connectToDevServer);
let sim: SpApiSimulator;
let prometheus: Prometheus;
const processes: SolicitProcess[] = [];
/** A second seller who withdrew the app's authorization: the worker's start-up check counts its refusal. */
const REVOKED_SELLER_ID = 'A2MONITORINGREVOKED';
const WAIT_UNDER_LOAD = 90_000;
let sellersDir: string;
/** Every metric name Prometheus scraped from the worker and ingest. */
let exported: Set<string>;

interface Rule {
  alert: string;
  expr: string;
}
const rules = (parse(readFileSync(ALERTS, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
  (group) => group.rules,
);

interface Panel {
  title: string;
  targets: { expr: string }[];
}
const panels = (JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[] }).panels;
/** Each panel query as Grafana sends it, with its interval variable filled in. */
const panelQueries = panels.flatMap((panel) =>
  panel.targets.map((target) => ({ panel: panel.title, expr: target.expr.replaceAll('$__rate_interval', '1m') })),
);

beforeAll(async () => {
  ensureBuilt();
  sim = await startSpApiSimulator({
    sellers: { [SIMULATOR_SELLER_ID]: SIMULATOR_REFRESH_TOKEN, [REVOKED_SELLER_ID]: 'Atzr|monitoring-revoked' },
  });
  sim.revokeSeller(REVOKED_SELLER_ID);
  sellersDir = mkdtempSync(path.join(tmpdir(), 'monitoring-'));
  const sellersFile = path.join(sellersDir, 'sellers.json');
  writeFileSync(
    sellersFile,
    JSON.stringify({
      // Authorized 100 days ago: the worker exports its re-authorization due date.
      [SIMULATOR_SELLER_ID]: {
        refreshToken: SIMULATOR_REFRESH_TOKEN,
        authorizedAt: new Date(Date.now() - 100 * 86_400_000).toISOString(),
      },
      [REVOKED_SELLER_ID]: 'Atzr|monitoring-revoked',
    }),
  );
  const taskQueue = uniqueTaskQueue('monitoring');
  const queues = await ensureQueueWithDeadLetterQueue(sqs, `monitoring-${Date.now().toString(36)}-${process.pid}`);
  const [workerPort, ingestPort] = await freePorts(2);
  const workerMetrics = `127.0.0.1:${workerPort}`;
  const ingestMetrics = `127.0.0.1:${ingestPort}`;
  const temporal = { TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: temporalNamespace, TASK_QUEUE: taskQueue };

  const worker = spawnSolicit(['worker'], {
    ...sim.env(),
    ...temporal,
    LWA_REFRESH_TOKEN: '',
    SPAPI_SELLERS_FILE: sellersFile,
    SPAPI_MAX_RPS: '100',
    // Amazon's searchOrders pace would make the test wait three minutes between a seller's regions.
    SPAPI_SEARCH_ORDERS_RPS: '100',
    METRICS_ADDRESS: workerMetrics,
  });
  const ingest = spawnSolicit(['ingest'], {
    ...temporal,
    ...localQueueEnv(queues.queueUrl),
    METRICS_ADDRESS: ingestMetrics,
  });
  processes.push(worker, ingest);
  prometheus = await startPrometheus({
    targets: { worker: workerMetrics, ingest: ingestMetrics },
    ruleFiles: [ALERTS],
  });

  // One order in its window, whose first eligibility check is throttled: every product metric gets a sample.
  const now = Math.floor(Date.now() / 1000) * 1000;
  const order = {
    amazonOrderId: newOrderId(),
    sellerId: SIMULATOR_SELLER_ID,
    marketplaceId: 'ATVPDKIKX0DER',
    deliveryDates: { earliest: iso(now - 6 * DAY), latest: iso(now - 5 * DAY) },
  };
  sim.addOrder({
    amazonOrderId: order.amazonOrderId,
    marketplaceId: order.marketplaceId,
    sellerId: order.sellerId,
    shipTime: iso(now - 8 * DAY),
    earliestDeliveryDate: order.deliveryDates.earliest,
    latestDeliveryDate: order.deliveryDates.latest,
  });
  sim.injectFailures(1, { status: 429, operation: 'getSolicitationActionsForOrder' });
  await worker.waitForLogs((line) => line.message === 'workers started', 1, WAIT_UNDER_LOAD);
  await sendAll(sqs, queues.queueUrl, [
    JSON.stringify(shippedMfn({ ...order, eventTime: iso(now - 8 * DAY), timeOfOrderChange: iso(now - 8 * DAY) })),
    JSON.stringify(clientSecretExpiry(iso(now + 30 * DAY))),
  ]);
  await ingest.waitForLogs((line) => line.message === 'order handled', 1, WAIT_UNDER_LOAD);
  await env.client.workflow.getHandle(order.amazonOrderId).result();

  // An order Amazon shipped whose notification never came: reconciliation starts it and counts the start.
  sim.addOrder({
    amazonOrderId: newOrderId(),
    marketplaceId: 'ATVPDKIKX0DER',
    sellerId: SIMULATOR_SELLER_ID,
    createdTime: new Date(now - 2 * DAY),
    shipTime: new Date(now - DAY),
    earliestDeliveryDate: new Date(now + DAY),
    latestDeliveryDate: new Date(now + 3 * DAY),
    lastUpdatedTime: new Date(now - DAY),
  });
  const reconciled = await runSolicit(['reconcile', '--json', '--days', '2'], temporal);
  const result = JSON.parse(reconciled.stdout) as ReconcileRunResult;
  // The revoked seller's sweep cannot be made in any region: reported, and the run exits 1.
  expect({
    code: reconciled.code,
    sellers: result.sellers,
    started: result.totals.started,
    failures: result.failures,
  }).toEqual({
    code: 1,
    sellers: 2,
    started: 1,
    failures: 3,
  });

  // Both targets scraped after the order's last counter moved.
  const solicited = Date.now();
  await eventually(
    'both targets scraped after the order was solicited',
    () => prometheus.api<{ activeTargets: { lastScrape: string; health: string }[] }>('/api/v1/targets'),
    ({ activeTargets }) =>
      activeTargets.length === 2 && activeTargets.every((target) => Date.parse(target.lastScrape) > solicited + 1000),
    WAIT_UNDER_LOAD,
  );
  await eventually(
    'the solicitation scraped',
    () => prometheus.query('solicitations_sent_total'),
    (samples) => samples.length > 0,
    WAIT_UNDER_LOAD,
  );
  await eventually(
    "reconciliation's start scraped",
    () => prometheus.query(`reconcile_orders_started_total{seller="${SIMULATOR_SELLER_ID}"}`),
    (samples) => samples.length > 0,
    WAIT_UNDER_LOAD,
  );
  const sweptAt = await eventually(
    "the seller's completed sweep scraped",
    () => prometheus.query(`reconcile_last_success_timestamp_seconds{seller="${SIMULATOR_SELLER_ID}"}`),
    (samples) => samples.length > 0,
    WAIT_UNDER_LOAD,
  );
  expect(Math.abs(Number(sweptAt[0]!.value[1]) - Date.now() / 1000)).toBeLessThan(600);
  // The revoked seller's sweep did not complete: no success to export.
  expect(await prometheus.query(`reconcile_last_success_timestamp_seconds{seller="${REVOKED_SELLER_ID}"}`)).toEqual([]);
  await eventually(
    "the revoked seller's refusal scraped",
    () => prometheus.query(`spapi_credential_refusals_total{seller="${REVOKED_SELLER_ID}"}`),
    (samples) => samples.length > 0,
    WAIT_UNDER_LOAD,
  );
  exported = new Set(
    (await prometheus.api<string[]>('/api/v1/label/__name__/values')).filter(
      (name) => !name.startsWith('scrape_') && name !== 'up',
    ),
  );
}, 420_000);

afterAll(async () => {
  for (const { child } of processes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await Promise.all(processes.map((process) => process.exited));
  await prometheus?.stop();
  if (sellersDir) rmSync(sellersDir, { recursive: true, force: true });
  await sim?.close();
  sqs.destroy();
});

/** Amazon's APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY notification, from which ingest exports the expiry time. */
function clientSecretExpiry(expiresAt: string) {
  return {
    notificationVersion: '1.0',
    notificationType: 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY',
    payloadVersion: '2023-12-13',
    eventTime: new Date().toISOString(),
    payload: {
      applicationOAuthClientSecretExpiry: {
        clientId: 'amzn1.application-oa2-client.monitoring',
        clientSecretExpiryTime: expiresAt,
        clientSecretExpiryReason: 'PERIODIC_ROTATION',
      },
    },
    notificationMetadata: {
      applicationId: 'amzn1.sellerapps.app.monitoring',
      subscriptionId: 'monitoring',
      publishTime: new Date().toISOString(),
      notificationId: `monitoring-${process.pid}`,
    },
  };
}

/** Each expression Prometheus refuses, with its error. */
async function queryErrors(exprs: string[]): Promise<{ expr: string; error: string }[]> {
  const errors = await Promise.all(
    exprs.map((expr) =>
      prometheus.query(expr).then(
        () => [],
        (error: Error) => [{ expr, error: error.message }],
      ),
    ),
  );
  return errors.flat();
}

describe('deploy/prometheus/alerts.yml', () => {
  it('holds the alerts an operator needs', () => {
    expect(rules.map((rule) => rule.alert).sort()).toEqual(
      [
        'IngestTemporalUnavailable',
        'LwaClientSecretExpiring',
        'NoSolicitationSent',
        'ReconciliationStale',
        'ReconciliationStartedOrders',
        'SpApiCredentialRefused',
        'SpApiSellerAuthorizationExpiring',
        'SpApiTaskQueueBacklog',
        'SpApiThrottled',
      ].sort(),
    );
  });

  it('evaluates every rule in Prometheus without error', async () => {
    expect(await queryErrors(rules.map((rule) => rule.expr))).toEqual([]);
    // Prometheus loaded the file itself and evaluates each rule on its own schedule.
    const loaded = await eventually(
      'every rule evaluated',
      () =>
        prometheus.api<{ groups: { rules: { name: string; health: string; lastError?: string }[] }[] }>(
          '/api/v1/rules',
        ),
      ({ groups }) => groups.flatMap((group) => group.rules).every((rule) => rule.health !== 'unknown'),
    );
    const health = loaded.groups
      .flatMap((group) => group.rules)
      .map(({ name, health, lastError }) => ({ name, health, lastError: lastError || undefined }));
    expect(health).toEqual(rules.map((rule) => ({ name: rule.alert, health: 'ok', lastError: undefined })));
  });

  it('uses only metric names the worker and ingest export', () => {
    const used = rules.flatMap((rule) => metricNames(rule.expr));
    expect(used.filter((name) => !exported.has(name))).toEqual([]);
  });
});

describe('deploy/grafana/dashboards/review-solicitations.json', () => {
  it('holds the panels an operator needs', () => {
    expect(panels.map((panel) => panel.title)).toEqual(
      expect.arrayContaining([
        'Review requests sent per hour',
        'Review requests sent per day',
        'Outcomes per hour',
        'Offered ratio',
        'SP-API responses by operation and status',
        'Credential refusals per seller',
        'Ingest messages by outcome',
        'Temporal available to ingest',
        'SP-API task queue schedule-to-start latency',
        'Worker cache usage',
      ]),
    );
    expect(panels.every((panel) => panel.targets.length > 0)).toBe(true);
  });

  it("runs every panel's query in Prometheus without error", async () => {
    expect(await queryErrors(panelQueries.map((query) => query.expr))).toEqual([]);
    // The queries read the scraped data: the throttled check of the order above shows by operation and status.
    const responses = panelQueries.find((query) => query.panel === 'SP-API responses by operation and status')!;
    const series = await eventually(
      'the throttled check on the panel',
      () => prometheus.query(responses.expr),
      (samples) => samples.length >= 3,
    );
    expect(series.map((sample) => sample.metric)).toContainEqual({
      operation: 'getSolicitationActionsForOrder',
      status: '429',
    });
  });

  it('uses only metric names the worker and ingest export', () => {
    const used = panelQueries.flatMap(({ panel, expr }) => metricNames(expr).map((name) => ({ panel, name })));
    expect(used.length).toBeGreaterThan(panels.length);
    expect(used.filter(({ name }) => !exported.has(name))).toEqual([]);
  });
});
