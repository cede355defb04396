import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { parseEnv, type Env } from '../config/env';
import { namespaceSetupEnvSchema } from '../config/setup';
import { spApiConfigFromEnv } from '../spapi/from-env';
import { SIMULATOR_SELLER_ID, startSpApiSimulator, type SpApiSimulator } from '../simulator';
import { feedDemo, planDemo, type DemoPlan } from './demo-feed';
import { assertPortFree, GUARDED, PROJECT_ROOT, startLocalProcess, type LocalProcess } from './processes';
import { ensureQueueWithDeadLetterQueue, localSqsClient, startLocalSqsServer, type LocalSqsServer } from './sqs';
import { setUpNamespace } from '../temporal/namespace-setup';
import { DEFAULT_TASK_QUEUE } from '../domain/contract';
import { startTemporalDevServer, type DevServer } from './temporal-dev-server';

export const NAMESPACE = 'default';
const QUEUE_NAME = 'order-change';
const SOLICIT = path.join(PROJECT_ROOT, 'bin', 'solicit');
// Starting the worker and ingest (connections, credential check) takes a while on a busy machine.
const READY_TIMEOUT_MS = 60_000;

export interface DevStackOptions {
  /** Temporal's database, the logs and the client profile of the children go here. */
  dataDir: string;
  temporalPort: number;
  uiPort: number;
  sqsPort: number;
  simulatorPort: number;
  /** `simulator`: the SP-API simulator stands in for Amazon. `environment`: the SP-API settings of `env`. */
  spApi: 'simulator' | 'environment';
  /** Feed the demo orders (simulator only). */
  demo: boolean;
  /** What the worker and ingest processes start from; the stack's own settings replace its Temporal and SQS ones. */
  env: Env;
}

export interface DevStack {
  uiUrl: string;
  temporalAddress: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
  /** The simulator's base URL, when it stands in for Amazon. */
  simulatorUrl?: string;
  /** The demo orders and which of them this start fed. */
  demo?: DemoPlan & { fed: string[] };
  /** What `solicit setup` found or changed in the namespace, one line per step. */
  setup: string[];
  /** Log file by process name. */
  logs: Record<string, string>;
  /** Child processes by name, for whoever wants to watch them. */
  processes: Record<string, LocalProcess>;
  client: Client;
  /** Stops everything it started: ingest, then the worker, then the servers. */
  stop(): Promise<void>;
}

/** SP-API settings in the environment mean a real Amazon account. */
export function spApiCredentialsGiven(env: Env): boolean {
  return ['LWA_CLIENT_ID', 'LWA_CLIENT_SECRET', 'LWA_REFRESH_TOKEN', 'SPAPI_SELLERS_FILE'].some(
    (name) => (env[name] ?? '') !== '',
  );
}

/**
 * The whole product on this machine: the Temporal dev server with its Web UI, an SQS-compatible server with
 * the ORDER_CHANGE queue and its dead-letter queue, the SP-API simulator (unless real credentials are given),
 * `solicit worker` and `solicit ingest` as child processes, and the demo orders fed through the queue.
 * A failure on the way stops what had started.
 */
export async function startDevStack(options: DevStackOptions): Promise<DevStack> {
  const { dataDir } = options;
  mkdirSync(dataDir, { recursive: true });
  const logs = {
    temporal: path.join(dataDir, 'temporal.log'),
    sqs: path.join(dataDir, 'sqs-server.log'),
    worker: path.join(dataDir, 'worker.log'),
    ingest: path.join(dataDir, 'ingest.log'),
  };
  // Read before anything starts, so that bad settings stop the stack with one clear line.
  if (options.spApi === 'environment') spApiConfigFromEnv(options.env);
  const setupSettings = parseEnv(namespaceSetupEnvSchema, options.env);

  await Promise.all([
    assertPortFree(options.temporalPort, 'Temporal (--port)'),
    assertPortFree(options.uiPort, 'Temporal Web UI (--ui-port)'),
    assertPortFree(options.sqsPort, 'SQS (--sqs-port)'),
    ...(options.spApi === 'simulator'
      ? [assertPortFree(options.simulatorPort, 'SP-API simulator (--simulator-port)')]
      : []),
  ]);

  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stops.splice(0).reverse()) await stopOne().catch(() => undefined);
  };
  try {
    const servers = await Promise.allSettled([
      startTemporalDevServer({
        port: options.temporalPort,
        uiPort: options.uiPort,
        dbFile: path.join(dataDir, 'temporal.db'),
        logFile: logs.temporal,
      }),
      startLocalSqsServer(options.sqsPort, logs.sqs),
    ]);
    const serversUp = servers.flatMap((server) => (server.status === 'fulfilled' ? [server.value.process] : []));
    stops.push(() => Promise.all(serversUp.map((server) => server.stop())).then(() => undefined));
    const [temporal, sqsServer] = servers.map((server) => {
      if (server.status === 'rejected') throw server.reason;
      return server.value;
    }) as [DevServer, LocalSqsServer];
    const sqs = localSqsClient(sqsServer.endpoint);
    stops.push(() => Promise.resolve(sqs.destroy()));
    const queues = await ensureQueueWithDeadLetterQueue(sqs, QUEUE_NAME);

    let simulator: SpApiSimulator | undefined;
    if (options.spApi === 'simulator') {
      simulator = await startSpApiSimulator({ port: options.simulatorPort });
      stops.push(() => simulator!.close());
    }

    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const client = new Client({ connection, namespace: NAMESPACE });
    // The same set-up as `solicit setup`, so the reconcile-orders schedule runs here as in production.
    const setup = await setUpNamespace(client, {
      namespace: NAMESPACE,
      taskQueue: DEFAULT_TASK_QUEUE,
      spApiPacing: { maxRps: setupSettings.SPAPI_MAX_RPS, maxTotalRps: setupSettings.SPAPI_MAX_TOTAL_RPS },
      reconcile: { interval: setupSettings.RECONCILE_INTERVAL, days: setupSettings.RECONCILE_DAYS },
      searchOrdersRps: setupSettings.SPAPI_SEARCH_ORDERS_RPS,
    });
    const plan = simulator && options.demo ? await planDemo(client, SIMULATOR_SELLER_ID) : undefined;
    // Amazon knows the demo orders before the product hears of them, again after every restart.
    for (const order of plan?.orders ?? []) simulator!.addOrder(order.amazon);

    const env = childEnv(options.env, temporal.address, dataDir, simulator?.env());
    const ingestEnv = {
      ...env,
      SQS_QUEUE_URL: queues.queueUrl,
      // The queue URL's own origin: the server names its queues by its host name, and the SDK warns on a mismatch.
      AWS_ENDPOINT_URL_SQS: new URL(queues.queueUrl).origin,
      AWS_REGION: 'us-east-1',
      // The local SQS server takes any credentials; these never reach AWS.
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    };
    const worker = await startSolicit('worker', env, logs.worker, 'workers started');
    stops.push(() => worker.stop());
    const ingest = await startSolicit('ingest', ingestEnv, logs.ingest, 'ingest started');
    stops.push(() => ingest.stop());

    const fed = plan ? await feedDemo(sqs, queues.queueUrl, client, plan) : undefined;
    return {
      uiUrl: temporal.uiUrl,
      temporalAddress: temporal.address,
      queueUrl: queues.queueUrl,
      deadLetterQueueUrl: queues.deadLetterQueueUrl,
      ...(simulator && { simulatorUrl: simulator.url }),
      ...(plan && fed && { demo: { ...plan, fed } }),
      setup: setup.lines,
      logs,
      processes: { temporal: temporal.process, sqs: sqsServer.process, worker, ingest },
      client,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The environment of `solicit worker` and `solicit ingest`: the caller's (log level, policy, SP-API settings),
 * without any Temporal, AWS or queue setting of the machine's, so the children talk only to this stack. A
 * client profile file of their own keeps a Temporal profile of the user's (Temporal Cloud, say) out too.
 */
function childEnv(base: Env, temporalAddress: string, dataDir: string, spApi: Record<string, string> | undefined) {
  const profileFile = path.join(dataDir, 'temporal-client.toml');
  writeFileSync(profileFile, `[profile.default]\naddress = "${temporalAddress}"\nnamespace = "${NAMESPACE}"\n`);
  const kept = Object.entries(base).filter(
    ([name, value]) =>
      value !== undefined &&
      !/^(TEMPORAL_|AWS_|SQS_)|^TASK_QUEUE$/.test(name) &&
      // The simulator's settings stand in for every SP-API setting but the pace.
      !(spApi && /^LWA_|^SPAPI_(ENDPOINT|SELLERS_FILE|SELLER_ID)$/.test(name)),
  );
  return {
    ...(Object.fromEntries(kept) as Record<string, string>),
    ...spApi,
    TEMPORAL_CONFIG_FILE: profileFile,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: NAMESPACE,
  };
}

/** `bin/solicit <command>` behind scripts/guarded, once its log says `ready`; its output goes to `logFile`. */
async function startSolicit(
  command: 'worker' | 'ingest',
  env: Record<string, string>,
  logFile: string,
  ready: string,
): Promise<LocalProcess> {
  const offset = fileSize(logFile);
  const started = startLocalProcess(GUARDED, [process.execPath, SOLICIT, command], logFile, { env });
  const output = () => readFileSync(logFile).subarray(offset).toString('utf8');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (output().includes(`"message":"${ready}"`)) return started;
    const ended = started.child.exitCode ?? started.child.signalCode;
    if (ended !== null || Date.now() > deadline) {
      await started.stop();
      const lastLine = output().trim().split('\n').pop() ?? '';
      const what = ended === null ? `not ready after ${READY_TIMEOUT_MS / 1000} s` : `exited (${ended})`;
      throw new Error(`solicit ${command} ${what}: ${lastLine} (log: ${logFile})`);
    }
    await delay(200);
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
