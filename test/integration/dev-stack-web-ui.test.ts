import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expediteSignal, searchAttributes, statusQuery, type Phase } from '../../src/domain/contract';
import { DEMO, DEMO_ORDER_IDS } from '../../src/local/demo-orders';
import { NAMESPACE, startDevStack, type DevStack } from '../../src/local/dev-stack';
import { freePorts, PROJECT_ROOT, TOOLS_BIN } from '../../src/local/processes';
import { currentDetails } from '../../src/domain/web-ui';
import { ensureBuilt } from '../helpers/cli';
import { eventually } from '../helpers/eventually';

/**
 * `solicit dev`'s stack on free ports and a fresh data folder, its demo orders fed through the real queue
 * to the real worker and ingest processes, then looked at the way an operator does: in the Temporal Web UI,
 * in headless Chromium. Screenshots go to test-results/screenshots.
 */

const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-results', 'screenshots');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'solicit-dev-'));
let stack: DevStack;
let browser: Browser;
let page: Page;

/** The stack on free ports, on this file's data folder. */
async function startStack(): Promise<DevStack> {
  const [temporalPort, uiPort, sqsPort, simulatorPort, webPort] = (await freePorts(5)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return startDevStack({
    dataDir,
    temporalPort,
    uiPort,
    sqsPort,
    simulatorPort,
    webPort,
    spApi: 'simulator',
    demo: true,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info' },
  });
}

beforeAll(async () => {
  ensureBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  [stack, browser] = await Promise.all([
    startStack(),
    chromium.launch({
      executablePath: path.join(TOOLS_BIN, 'chromium'),
      // Playwright adds --headless and --no-sandbox and gives the browser a fresh profile of its own.
      args: [
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    }),
  ]);
  page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('feeds the demo orders through the queue and each reaches its phase in visibility', async () => {
  const expected = Object.fromEntries(stack.demo!.orders.map((order) => [order.amazonOrderId, order.phase]));
  expect(stack.demo!.fed).toEqual(DEMO_ORDER_IDS);
  expect(new Set(Object.values(expected))).toEqual(new Set<Phase>(['solicited', 'waiting', 'expired', 'cancelled']));
  // Visibility is what the Web UI lists from: wait for it, not for the workflows.
  const phases = await eventually(
    'demo phases in visibility',
    async () => {
      const found: Record<string, unknown> = {};
      for await (const workflow of stack.client.workflow.list({ query: 'WorkflowId STARTS_WITH "900-"' })) {
        found[workflow.workflowId] = workflow.typedSearchAttributes.get(searchAttributes.phase);
      }
      return found;
    },
    (found) => DEMO_ORDER_IDS.every((id) => found[id] === expected[id]),
    45_000,
  );
  expect(phases).toEqual(expected);
});

it('lists the waiting order, and not the solicited one, under SolicitationPhase="waiting"', async () => {
  const query = encodeURIComponent('SolicitationPhase="waiting"');
  await page.goto(`${stack.uiUrl}/namespaces/${NAMESPACE}/workflows?query=${query}`);
  const waitingLink = page.getByRole('link', { name: DEMO.waiting, exact: true });
  await waitingLink.waitFor();
  // The phase as a column of the list, the way an operator sets the table up.
  await page.getByRole('button', { name: 'Configure Columns' }).click();
  await page.getByRole('button', { name: 'Add SolicitationPhase column' }).click();
  await page.getByRole('button', { name: 'Add SolicitAfter column' }).click();
  await page.getByRole('button', { name: 'Remove Run ID column' }).click();
  await page.getByRole('button', { name: 'Close Workflows Table configuration' }).click();
  await page.getByText('Configure Workflows Table').waitFor({ state: 'hidden' });
  const row = page.getByRole('row').filter({ has: waitingLink });
  await row.getByText('waiting', { exact: true }).waitFor();

  expect(await page.getByRole('link', { name: DEMO.solicited, exact: true }).count()).toBe(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'workflows-waiting.png') });
});

it("shows the waiting order's current details in words", async () => {
  const status = await stack.client.workflow.getHandle(DEMO.waiting).query(statusQuery);
  expect(status.phase).toBe('waiting');
  const expected = currentDetails(status);
  expect(expected).toMatch(/^Waiting for Amazon's window to open on /);

  await page.getByRole('link', { name: DEMO.waiting, exact: true }).click();
  await page.getByRole('tab', { name: 'User Metadata' }).click();
  // The Web UI renders the details as Markdown in a frame of their own, with typographic apostrophes.
  const details = page.frameLocator('#user-metadata-current-details').locator('body');
  await details.getByText('Waiting for').waitFor();
  expect((await details.innerText()).replace(/\u2019/g, "'").trim()).toBe(expected);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'order-current-details.png') });
});

it("serves the Sellers page, where a demo seller connects through the simulator's consent page", async () => {
  await page.goto(stack.sellersUrl!);
  expect(await page.locator('tbody').textContent()).toContain('A1SIMULATEDSELLER');
  await page.getByText('Connect a seller in Europe').click();
  await page.waitForURL((url) => url.pathname === '/apps/authorize/consent');
  const sellerId = await page.inputValue('input[name=selling_partner_id]');
  await page.click('button[type=submit]');
  await page.waitForURL(`${stack.sellersUrl}/?connected=${sellerId}`);
  expect(await page.locator('tbody').textContent()).toContain(sellerId);
});

it('stops every process it started', async () => {
  const processes = Object.values(stack.processes);
  await stack.stop();
  for (const { child } of processes) expect(child.exitCode ?? child.signalCode).not.toBeNull();
});

it('keeps the orders across a restart on the same data, feeds nothing again, and Amazon still knows them', async () => {
  const before = stack.demo!;
  stack = await startStack();
  expect(stack.demo!.fed).toEqual([]);
  expect(stack.demo!.present).toEqual(new Set(DEMO_ORDER_IDS));
  expect(stack.demo!.feedAt).toEqual(before.feedAt);

  // The simulator starts empty; had it not been told the orders again, this check would end in a 404 (failed).
  const handle = stack.client.workflow.getHandle(DEMO.notOffered);
  expect(await handle.query(statusQuery)).toMatchObject({ phase: 'waiting', checks: 1 });
  await handle.signal(expediteSignal, {});
  const status = await eventually(
    'the expedited check',
    () => handle.query(statusQuery),
    (current) => current.checks === 2 || current.phase === 'failed',
  );
  expect(status).toMatchObject({ phase: 'waiting', checks: 2 });
});
