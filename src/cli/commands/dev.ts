import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { parseEnv } from '../../config/env';
import { connectClient, temporalSettings } from '../../config/temporal';
import type { Phase } from '../../domain/contract';
import { demoPhases, feedDemo, planDemo } from '../../local/demo-feed';
import { DEMO, type DemoOrder } from '../../local/demo-orders';
import { NAMESPACE, spApiCredentialsGiven, startDevStack, type DevStack } from '../../local/dev-stack';
import { PROJECT_ROOT, TOOLS_BIN } from '../../local/processes';
import { SIMULATOR_SELLER_ID, startSpApiSimulator } from '../../simulator';
import type { Command } from '../command';
import { EXIT_OK } from '../exit-codes';
import { UsageError } from '../../errors';

const usage = `usage: solicit dev [--no-demo] [--port N] [--ui-port N] [--sqs-port N] [--simulator-port N]
       solicit dev --simulator-only [--bind ADDRESS] [--simulator-port N] [--no-demo]

Runs the whole product on this machine, no cloud account needed: the Temporal dev server with its Web UI
(orders kept in .data/temporal.db across restarts), an SQS-compatible server with the ORDER_CHANGE queue and
its dead-letter queue, an SP-API simulator standing in for Amazon, 'solicit worker' and 'solicit ingest'.
Then it feeds demo orders through the queue, once per data folder, so that every phase shows in the Web UI.
Logs go to .data/*.log. Ctrl-C stops everything.

With SP-API credentials in the environment or in a .env file in the project's folder (LWA_CLIENT_ID,
LWA_CLIENT_SECRET, LWA_REFRESH_TOKEN or SPAPI_SELLERS_FILE), the worker calls Amazon with them instead: no
simulator, no demo, and the orders are kept apart in .data/amazon/.

  --no-demo             feed no demo orders
  --port N              Temporal gRPC port (default 7233)
  --ui-port N           Temporal Web UI port (default 8233)
  --sqs-port N          SQS port (default 9324)
  --simulator-port N    SP-API simulator port (default 8100)
  --simulator-only      run only the SP-API simulator, for a worker elsewhere (docker compose --profile
                        simulator); with the demo, it feeds the demo orders into SQS_QUEUE_URL, using the
                        Temporal connection settings (TEMPORAL_ADDRESS, ...) to feed them only once
  --bind ADDRESS        the simulator's listening address with --simulator-only (default 127.0.0.1)`;

interface DevOptions {
  demo: boolean;
  port: number;
  uiPort: number;
  sqsPort: number;
  simulatorPort: number;
  simulatorOnly: boolean;
  bind: string;
}

export const command: Command = {
  summary: 'the whole stack on this machine, embedded defaults, no cloud account needed',
  usage,
  async run(argv) {
    const options = parseOptions(argv);
    const dotEnv = path.join(PROJECT_ROOT, '.env');
    // Variables already set win over the file's.
    if (existsSync(dotEnv)) process.loadEnvFile(dotEnv);
    return options.simulatorOnly ? runSimulatorOnly(options) : runStack(options);
  },
};

async function runStack(options: DevOptions): Promise<number> {
  const amazon = spApiCredentialsGiven(process.env);
  const dataDir = path.join(PROJECT_ROOT, '.data', ...(amazon ? ['amazon'] : []));
  const stack = await startDevStack({
    dataDir,
    temporalPort: options.port,
    uiPort: options.uiPort,
    sqsPort: options.sqsPort,
    simulatorPort: options.simulatorPort,
    spApi: amazon ? 'environment' : 'simulator',
    demo: options.demo,
    env: process.env,
  });
  const stopRequested = stopSignal();
  const workflows = `${stack.uiUrl}/namespaces/${NAMESPACE}/workflows`;
  print(
    `Temporal Web UI    ${workflows}`,
    `Temporal address   ${stack.temporalAddress} (orders kept in ${relative(path.join(dataDir, 'temporal.db'))})`,
    `SQS queue          ${stack.queueUrl}`,
    `Dead-letter queue  ${stack.deadLetterQueueUrl}`,
    stack.simulatorUrl
      ? `SP-API             simulator on ${stack.simulatorUrl}: nothing reaches Amazon`
      : 'SP-API             Amazon, with the credentials from the environment or .env: no simulator, no demo',
    `Logs               ${Object.values(stack.logs).map(relative).join(', ')}`,
    ...stack.setup.map((line, index) => `${index === 0 ? 'Set-up            ' : '                  '} ${line}`),
    '',
  );
  if (stack.demo) await printDemo(stack, stopRequested);
  else if (stack.simulatorUrl) print('Demo orders: not fed (--no-demo).', '');
  else {
    print(
      'Amazon cannot deliver notifications to this local queue: send ORDER_CHANGE messages to it yourself,',
      "or start workflows for orders already shipped with 'bin/solicit backfill'.",
      '',
    );
  }
  printTry(stack, workflows);
  print('Press Ctrl-C to stop.');

  await stopRequested;
  print('Stopping ingest, the worker and the servers...');
  await stack.stop();
  return EXIT_OK;
}

async function printDemo(stack: DevStack, stopRequested: Promise<unknown>): Promise<void> {
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

function printTry(stack: DevStack, workflows: string): void {
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

/** The simulator alone, for a worker elsewhere: `docker compose --profile simulator`. */
async function runSimulatorOnly(options: DevOptions): Promise<number> {
  const simulator = await startSpApiSimulator({ port: options.simulatorPort, host: options.bind });
  try {
    const elsewhere = ['0.0.0.0', '::'].includes(options.bind) ? ` (with this host's name for ${options.bind})` : '';
    print(
      `SP-API simulator on ${simulator.url}. Point the worker at it${elsewhere}:`,
      ...Object.entries(simulator.env()).map(([name, value]) => `  ${name}=${value}`),
    );
    const stopRequested = stopSignal();
    if (options.demo) await feedDemoFromEnv((order) => simulator.addOrder(order.amazon));
    print('Press Ctrl-C to stop.');
    await stopRequested;
  } finally {
    await simulator.close();
  }
  return EXIT_OK;
}

const feedEnvSchema = z.object({
  SQS_QUEUE_URL: z.url({
    protocol: /^https?$/,
    error: (issue) =>
      issue.input === undefined
        ? 'is required to feed the demo (or --no-demo): the ORDER_CHANGE queue'
        : 'must be a URL',
  }),
});

async function feedDemoFromEnv(tellAmazon: (order: DemoOrder) => void): Promise<void> {
  const { SQS_QUEUE_URL: queueUrl } = parseEnv(feedEnvSchema);
  const client = await connectClient(temporalSettings());
  const sqs = new SQSClient({});
  try {
    const plan = await planDemo(client, SIMULATOR_SELLER_ID);
    plan.orders.forEach(tellAmazon);
    const fed = await feedDemo(sqs, queueUrl, client, plan);
    print(
      fed.length === 0
        ? 'Demo orders: already in Temporal, so not fed again.'
        : `Demo orders: ${fed.join(', ')} fed into ${queueUrl}.`,
    );
  } finally {
    sqs.destroy();
    await client.connection.close();
  }
}

/**
 * The first SIGINT or SIGTERM. Later ones are ignored while everything stops: a Ctrl-C under `npm start`
 * arrives twice (from the terminal and forwarded by npm), and must not cut the stop short.
 */
function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, resolve);
  });
}

function print(...lines: string[]): void {
  process.stdout.write(lines.map((line) => `${line}\n`).join(''));
}

function relative(file: string): string {
  const name = path.relative(process.cwd(), file);
  return name.startsWith('..') ? file : name;
}

function parseOptions(argv: string[]): DevOptions {
  const { values } = parseArgsOrUsage({
    args: argv,
    options: {
      'no-demo': { type: 'boolean' },
      port: { type: 'string' },
      'ui-port': { type: 'string' },
      'sqs-port': { type: 'string' },
      'simulator-port': { type: 'string' },
      'simulator-only': { type: 'boolean' },
      bind: { type: 'string' },
    },
    strict: true,
  });
  const simulatorOnly = values['simulator-only'] === true;
  if (values.bind !== undefined && !simulatorOnly) throw new UsageError('--bind goes with --simulator-only');
  if (simulatorOnly) {
    const stackOption = (['port', 'ui-port', 'sqs-port'] as const).find((name) => values[name] !== undefined);
    if (stackOption) throw new UsageError(`--${stackOption} does not go with --simulator-only`);
  }
  return {
    demo: values['no-demo'] !== true,
    port: portOption('--port', values.port, 7233),
    uiPort: portOption('--ui-port', values['ui-port'], 8233),
    sqsPort: portOption('--sqs-port', values['sqs-port'], 9324),
    simulatorPort: portOption('--simulator-port', values['simulator-port'], 8100),
    simulatorOnly,
    bind: values.bind ?? '127.0.0.1',
  };
}

function parseArgsOrUsage<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function portOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`${name} must be a port number`);
  return port;
}
