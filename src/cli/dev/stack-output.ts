import path from 'node:path';
import type { Phase } from '../../domain/contract';
import { demoPhases } from '../../local/demo-feed';
import { DEMO, type DemoOrder } from '../../local/demo-orders';
import type { DevStack } from '../../local/dev-stack';
import { PROJECT_ROOT, TOOLS_BIN } from '../../local/processes';
import { print, relative } from './output';

/** Where each part of the stack is: addresses, queues, logs, metrics, and what set-up did. */
export function printStack(stack: DevStack, workflows: string, dataDir: string): void {
  print(
    `Temporal Web UI    ${workflows}`,
    ...WEB_UI_GUIDE.map((line) => `                   ${line}`),
    `Temporal address   ${stack.temporalAddress} (orders kept in ${relative(path.join(dataDir, 'temporal.db'))})`,
    `SQS queue          ${stack.queueUrl}`,
    `Dead-letter queue  ${stack.deadLetterQueueUrl}`,
    stack.simulatorUrl
      ? `SP-API             simulator on ${stack.simulatorUrl}: nothing reaches Amazon`
      : 'SP-API             Amazon, with the credentials from the environment or .env: no simulator, no demo',
    ...(stack.sellersUrl ? [`Sellers page       ${stack.sellersUrl} (connect a demo seller there)`] : []),
    `Logs               ${Object.values(stack.logs).map(relative).join(', ')}`,
    stack.metricsUrls
      ? `Metrics            worker ${stack.metricsUrls.worker}, ingest ${stack.metricsUrls.ingest}`
      : 'Metrics            not served (--metrics-port N, or METRICS_ADDRESS)',
    ...stack.setup.map((line, index) => `${index === 0 ? 'Set-up            ' : '                  '} ${line}`),
    '',
  );
}

/**
 * Where the Web UI shows an order's phase: every ended order is the same green Completed in its list, and
 * the phase and its reason are in search attributes and the current details, which it does not show at first.
 */
const WEB_UI_GUIDE = [
  "an order's phase and why: open the order, then its User Metadata tab (Current Details);",
  "in the list, 'Configure Columns' adds a SolicitationPhase column (ended orders all show Completed);",
  'filter by phase, e.g. SolicitationPhase="blocked", and keep each with \'Save as New View\' (Saved Views)',
];

/** The demo orders and the phase each has reached, once they have one or a minute has passed. */
export async function printDemo(stack: DevStack, stopRequested: Promise<unknown>): Promise<void> {
  const demo = stack.demo!;
  const fedAt = demo.feedAt.toISOString().slice(0, 16).replace('T', ' ');
  if (demo.fed.length === 0) {
    print(`Demo orders: fed on ${fedAt} UTC and kept in the data folder, so not fed again.`);
  } else {
    print(
      `Demo orders: ${demo.fed.length} fed through the queue as ORDER_CHANGE notifications; waiting for their phases...`,
    );
  }
  const phases = await Promise.race([
    demoPhases(stack.client, demo.orders, 60_000),
    stopRequested.then(() => undefined),
  ]);
  if (!phases) return;
  for (const order of demo.orders) print(demoLine(order, phases.get(order.amazonOrderId), demo.fed.length > 0));
  print('');
}

function demoLine(order: DemoOrder, phase: Phase | undefined, fresh: boolean): string {
  const shown = (phase ?? 'not in Temporal').padEnd(10);
  // The stories tell the orders as fed: days later they no longer hold.
  return `  ${order.amazonOrderId}  ${shown}${fresh ? `  ${order.story}` : ''}`.trimEnd();
}

/** Commands to try against this stack. */
export function printTry(stack: DevStack, workflows: string): void {
  const solicit = relative(path.join(PROJECT_ROOT, 'bin', 'solicit'));
  const temporalCli = relative(path.join(TOOLS_BIN, 'temporal'));
  const env = stack.temporalAddress.endsWith(':7233') ? '' : `TEMPORAL_ADDRESS=${stack.temporalAddress} `;
  const [waitingOrder, notOfferedOrder] = stack.demo ? [DEMO.waiting, DEMO.notOffered] : ['<order ID>', '<order ID>'];
  const waiting = 'SolicitationPhase="waiting"';
  print(
    'Try:',
    `  ${workflows}?query=${encodeURIComponent(waiting)}`,
    `  ${env}${solicit} status ${waitingOrder}`,
    `  ${env}${solicit} list --phase waiting`,
    `  ${env}${solicit} stats`,
    `  ${env}${solicit} expedite ${notOfferedOrder}`,
    `  ${temporalCli} workflow list --address ${stack.temporalAddress} --query '${waiting}'`,
    `  ${temporalCli} workflow describe --address ${stack.temporalAddress} --workflow-id ${waitingOrder}`,
    '',
  );
}
