import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { chromium, type Browser } from 'playwright-core';
import type { ReviewSolicitationResult } from '../../src/domain/contract';
import { freePort, PROJECT_ROOT, TOOLS_BIN } from '../../src/local/processes';
import { ensureQueueWithDeadLetterQueue, LOCAL_SQS_CREDENTIALS, localSqsClient } from '../../src/local/sqs';
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
import { DAY } from '../helpers/solicitation-harness';
import { iso, newOrderId } from '../helpers/orders';
import { sendAll } from '../helpers/sqs';
import { connectToDevServer, uniqueTaskQueue } from '../helpers/temporal';
import { runServers } from '../setup/servers';

/**
 * `solicit web` in headless Chromium (docs/spec.md, "Credential lifecycle"): sign in, connect a seller through
 * the simulator's consent page, see it listed with its re-authorization due date; its notification is then
 * accepted by ingest and its order solicited by the worker, both reading the sellers file the page wrote. A
 * callback with a wrong or reused `state` stores nothing. Screenshots go to test-results/screenshots.
 */

const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-results', 'screenshots');
const WEB_TOKEN = 'operator-token-0123456789abcdef';
const { sqsEndpoint, temporalAddress, temporalNamespace } = runServers();
const sqs = localSqsClient(sqsEndpoint);
const stamp = `${Date.now().toString(36)}-${process.pid}`;
let env: TestWorkflowEnvironment;
let sim: SpApiSimulator;
let browser: Browser;
let dir: string;
const processes: SolicitProcess[] = [];

beforeAll(async () => {
  ensureBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(path.join(tmpdir(), 'sellers-page-'));
  env = await connectToDevServer();
  browser = await chromium.launch({
    executablePath: path.join(TOOLS_BIN, 'chromium'),
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
});
afterAll(async () => {
  for (const running of processes) {
    if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
    await running.exited;
  }
  await browser?.close();
  await sim?.close();
  sqs.destroy();
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

it('connects a seller through the consent page, whose orders are then solicited; a bad state stores nothing', async () => {
  const webPort = await freePort();
  const web = `http://127.0.0.1:${webPort}`;
  sim = await startSpApiSimulator({ redirectUri: `${web}/connect/callback` });
  const queues = await ensureQueueWithDeadLetterQueue(sqs, `sellers-page-${stamp}`, { visibilityTimeoutSeconds: 5 });
  const sellersFile = path.join(dir, 'sellers.json');
  // A seller that authorized 350 days ago: due within 30 days, so the page warns.
  writeFileSync(
    sellersFile,
    JSON.stringify({
      [SIMULATOR_SELLER_ID]: {
        refreshToken: SIMULATOR_REFRESH_TOKEN,
        marketplaces: ['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2'],
        authorizedAt: new Date(Date.now() - 350 * DAY).toISOString(),
      },
    }),
  );
  const taskQueue = uniqueTaskQueue('sellers-page');
  const { LWA_REFRESH_TOKEN: _one, SPAPI_SELLER_ID: _id, ...app } = sim.env();
  const common = {
    ...app,
    SPAPI_SELLERS_FILE: sellersFile,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: temporalNamespace,
    TASK_QUEUE: taskQueue,
  };
  const webProcess = spawnSolicit(['web'], {
    ...common,
    WEB_ADDRESS: `127.0.0.1:${webPort}`,
    WEB_TOKEN,
    SPAPI_APPLICATION_ID: sim.applicationId,
    SPAPI_CONSENT_URL: sim.url,
    TEMPORAL_UI_URL: 'http://localhost:8233',
  });
  // The simulator's searchOrders allowance is not Amazon's: no page waits 3 minutes here.
  const worker = spawnSolicit(['worker'], { ...common, SPAPI_MAX_RPS: '100', SPAPI_SEARCH_ORDERS_RPS: '100' });
  const ingest = spawnSolicit(['ingest'], {
    ...common,
    SQS_QUEUE_URL: queues.queueUrl,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_SQS_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_SQS_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_SQS: sqsEndpoint,
  });
  processes.push(webProcess, worker, ingest);
  await Promise.all([
    webProcess.waitForLogs((line) => line.message === 'Sellers page served'),
    worker.waitForLogs((line) => line.message === 'workers started'),
    ingest.waitForLogs((line) => line.message === 'ingest started'),
  ]);

  // Without the token the page is not shown; a script without it is told 401.
  expect((await fetch(`${web}/`)).status).toBe(401);

  const page = await browser.newPage({ viewport: { width: 1700, height: 560 } });
  const visited: string[] = [];
  page.on('request', (request) => visited.push(request.url()));
  await page.goto(`${web}/`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await page.fill('input[name=token]', WEB_TOKEN);
  await page.click('button[type=submit]');
  await page.waitForURL(`${web}/`);
  await page.getByRole('alert').waitFor();
  expect(await page.getByRole('alert').textContent()).toContain(SIMULATOR_SELLER_ID);
  const firstRow = page.locator('tbody tr').first();
  expect(await firstRow.textContent()).toContain('ATVPDKIKX0DER, A2EUQ1WTGCTBG2');
  // Each count links to the Web UI's list of that seller's orders in that phase.
  const waiting = await page.locator('tbody tr').first().locator('td.count a').first().getAttribute('href');
  expect(decodeURIComponent(waiting!)).toContain(`AmazonSellerId = '${SIMULATOR_SELLER_ID}'`);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'sellers-page.png'), fullPage: true });

  await page.getByText('Connect a seller in North America').click();
  await page.waitForURL((url) => url.pathname === '/apps/authorize/consent');
  const sellerId = await page.inputValue('input[name=selling_partner_id]');
  await page.click('button[type=submit]');
  await page.waitForURL((url) => url.origin === web && url.pathname === '/');
  // A clean URL: the code and state of the callback are gone.
  expect(page.url()).toBe(`${web}/?connected=${sellerId}`);
  await page.getByRole('status').waitFor();
  const row = page.locator('tbody tr', { hasText: sellerId });
  const dueDate = new Date(Date.now() + 365 * DAY).toISOString().slice(0, 10);
  expect(await row.textContent()).toContain(dueDate);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'sellers-page-connected.png'), fullPage: true });

  const stored = JSON.parse(readFileSync(sellersFile, 'utf8')) as Record<string, Record<string, unknown>>;
  expect(stored[SIMULATOR_SELLER_ID]).toMatchObject({ refreshToken: SIMULATOR_REFRESH_TOKEN });
  expect(stored[sellerId]).toEqual({
    refreshToken: expect.stringMatching(/^Atzr\|/),
    authorizedAt: expect.any(String),
  });
  const refreshToken = stored[sellerId]!.refreshToken as string;
  // The seller's catch-up was started under its own workflow ID; once it completes, the page shows it.
  await env.client.workflow.getHandle(`reconcile-orders-catch-up-${sellerId}`).result();
  await eventually(
    'the catch-up shown as the last completed reconciliation',
    async () => {
      await page.reload();
      return page.locator('tbody tr', { hasText: sellerId }).locator('td').last().textContent();
    },
    (text) => / UTC$/.test(text ?? ''),
  );

  // A callback with a wrong state, or the same callback again, stores nothing.
  const callback = visited.find((url) => url.startsWith(`${web}/connect/callback`))!;
  const code = new URL(callback).searchParams.get('spapi_oauth_code')!;
  const before = readFileSync(sellersFile, 'utf8');
  const bearer = { headers: { authorization: `Bearer ${WEB_TOKEN}` }, redirect: 'manual' as const };
  const wrong = new URL(callback);
  wrong.searchParams.set('state', 'not-a-state-we-issued');
  wrong.searchParams.set('selling_partner_id', 'A9OTHERSELLER');
  expect((await fetch(wrong, bearer)).status).toBe(400);
  expect((await fetch(callback, bearer)).status).toBe(400);
  expect(readFileSync(sellersFile, 'utf8')).toBe(before);

  // The new seller's order: ingest takes its notification, the worker solicits it with the stored token.
  const now = Date.now();
  const amazonOrderId = newOrderId();
  const dates = { earliest: iso(now - 10 * DAY), latest: iso(now - 8 * DAY) };
  sim.addOrder({
    amazonOrderId,
    sellerId,
    marketplaceId: 'ATVPDKIKX0DER',
    earliestDeliveryDate: dates.earliest,
    latestDeliveryDate: dates.latest,
  });
  await sendAll(sqs, queues.queueUrl, [
    JSON.stringify(shippedMfn({ amazonOrderId, sellerId, deliveryDates: dates, eventTime: iso(now) })),
  ]);
  const handle = env.client.workflow.getHandle(amazonOrderId);
  await eventually(
    'the order started by ingest',
    () =>
      handle.describe().then(
        () => true,
        () => false,
      ),
    (started) => started,
  );
  expect((await handle.result()) as ReviewSolicitationResult).toMatchObject({ outcome: 'solicited' });
  expect(sim.solicitations.map((sent) => sent.amazonOrderId)).toContain(amazonOrderId);

  const html = await page.content();
  const logs = [webProcess, worker, ingest]
    .flatMap((running) => [JSON.stringify(running.logs), ...running.otherOutput, running.stdout()])
    .join('\n');
  for (const secret of [refreshToken, code, WEB_TOKEN, sim.clientSecret]) {
    expect(html).not.toContain(secret);
    expect(logs).not.toContain(secret);
  }
  expect(webProcess.logs).toContainEqual(expect.objectContaining({ message: 'seller connected', sellerId }));

  // `solicit stats` names the seller due within 30 days, and not the one just connected.
  const stats = await runSolicit(['stats', '--json'], {
    SPAPI_SELLERS_FILE: sellersFile,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: temporalNamespace,
  });
  expect(stats.code).toBe(0);
  const due = (JSON.parse(stats.stdout) as { reauthorizationDue: { sellerId: string }[] }).reauthorizationDue;
  expect(due.map((seller) => seller.sellerId)).toEqual([SIMULATOR_SELLER_ID]);
  await page.close();
});
