import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { parseEnv, type Env } from '../config/env';
import { namespaceSetupEnvSchema } from '../config/setup';
import { spApiConfigFromEnv } from '../spapi/from-env';
import { SIMULATOR_REFRESH_TOKEN, SIMULATOR_SELLER_ID, startSpApiSimulator, type SpApiSimulator } from '../simulator';
import { feedDemo, planDemo, type DemoPlan } from './demo-feed';
import { dataDirHolder, describeHolder, lockDataDir } from './dev-lock';
import { portHolder } from './port-holder';
import {
  assertPortFree,
  GUARDED,
  PROJECT_ROOT,
  startLocalProcess,
  startLocalServer,
  type LocalProcess,
  type LocalServer,
} from './processes';
import { ensureQueueWithDeadLetterQueue, LOCAL_SQS_SERVER, localSqsClient } from './sqs';
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
  /** Where the Sellers page (`solicit web`) listens, with the simulator; none: no page. */
  webPort?: number;
  /** `simulator`: the SP-API simulator stands in for Amazon. `environment`: the SP-API settings of `env`. */
  spApi: 'simulator' | 'environment';
  /** Feed the demo orders (simulator only). */
  demo: boolean;
  /** What the worker and ingest processes start from; the stack's own settings replace its Temporal and SQS ones. */
  env: Env;
  /** Where the worker and ingest serve Prometheus metrics (IP:port each); none by default. */
  metrics?: { worker: string; ingest: string };
  /** Data folders of other stacks of this checkout, to name the one that holds a port this one needs. */
  otherDataDirs?: string[];
  /** Told each step as it begins, for a person waiting. */
  onStep?: (step: string) => void;
}

export interface DevStack {
  uiUrl: string;
  temporalAddress: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
  /** The simulator's base URL, when it stands in for Amazon. */
  simulatorUrl?: string;
  /** The Sellers page, where a demo seller can be connected through the simulator's consent page. */
  sellersUrl?: string;
  /** The demo orders and which of them this start fed. */
  demo?: DemoPlan & { fed: string[] };
  /** What `solicit setup` found or changed in the namespace, one line per step. */
  setup: string[];
  /** Log file by process name. */
  logs: Record<string, string>;
  /** Metrics URL by process name, when served. */
  metricsUrls?: { worker: string; ingest: string };
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
  const step = options.onStep ?? (() => undefined);
  mkdirSync(dataDir, { recursive: true });
  const logs = {
    temporal: path.join(dataDir, 'temporal.log'),
    sqs: path.join(dataDir, 'sqs-server.log'),
    worker: path.join(dataDir, 'worker.log'),
    ingest: path.join(dataDir, 'ingest.log'),
    ...(options.spApi === 'simulator' && options.webPort !== undefined && { web: path.join(dataDir, 'web.log') }),
  };
  const webUrl = logs.web === undefined ? undefined : `http://127.0.0.1:${options.webPort}`;
  // Read before anything starts, so that bad settings stop the stack with one clear line.
  if (options.spApi === 'environment') spApiConfigFromEnv(options.env);
  const setupSettings = parseEnv(namespaceSetupEnvSchema, options.env);

  const uiUrl = `http://localhost:${options.uiPort}`;
  // Before the ports: a second stack on this folder is refused for the folder, whatever its ports.
  const lock = lockDataDir({ pid: process.pid, dataDir, temporalAddress: `127.0.0.1:${options.temporalPort}`, uiUrl });
  const stops: (() => Promise<void>)[] = [() => Promise.resolve(lock.release())];
  const stop = async () => {
    for (const stopOne of stops.splice(0).reverse()) await stopOne().catch(() => undefined);
  };
  try {
    await assertPortsFree(options);
    step(
      `starting the Temporal dev server (port ${options.temporalPort}) and the SQS server (port ${options.sqsPort})`,
    );
    const servers = await Promise.allSettled([
      startTemporalDevServer({
        port: options.temporalPort,
        uiPort: options.uiPort,
        dbFile: path.join(dataDir, 'temporal.db'),
        logFile: logs.temporal,
      }),
      startLocalServer(LOCAL_SQS_SERVER, options.sqsPort, logs.sqs),
    ]);
    const serversUp = servers.flatMap((server) => (server.status === 'fulfilled' ? [server.value.process] : []));
    stops.push(() => Promise.all(serversUp.map((server) => server.stop())).then(() => undefined));
    const [temporal, sqsServer] = servers.map((server) => {
      if (server.status === 'rejected') throw server.reason;
      return server.value;
    }) as [DevServer, LocalServer];
    const sqs = localSqsClient(sqsServer.endpoint);
    stops.push(() => Promise.resolve(sqs.destroy()));
    const queues = await ensureQueueWithDeadLetterQueue(sqs, QUEUE_NAME);

    let simulator: SpApiSimulator | undefined;
    if (options.spApi === 'simulator') {
      step(`starting the SP-API simulator (port ${options.simulatorPort})`);
      // Rotation notices go to the ORDER_CHANGE queue, as with an app that registered it for both.
      simulator = await startSpApiSimulator({
        port: options.simulatorPort,
        applicationQueue: { endpoint: sqsServer.endpoint, url: queues.queueUrl },
        ...(webUrl !== undefined && { redirectUri: `${webUrl}/connect/callback` }),
      });
      stops.push(() => simulator!.close());
    }

    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const client = new Client({ connection, namespace: NAMESPACE });
    // The same set-up as `solicit setup`, so the reconcile-orders schedule runs here as in production.
    step('setting up the namespace (search attributes, SP-API rate limits, reconcile-orders schedule)');
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

    const env = childEnv(options.env, temporal.address, dataDir, simulator && simulatorCredentials(simulator, dataDir));
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
    const started = async (command: 'worker' | 'ingest', commandEnv: Record<string, string>, ready: string) => {
      step(`starting solicit ${command} (log: ${logs[command]})`);
      const child = await startSolicit(
        command,
        metricsEnv(commandEnv, options.metrics?.[command]),
        logs[command],
        ready,
      );
      stops.push(() => child.stop());
      return child;
    };
    const worker = await started('worker', env, 'workers started');
    const ingest = await started('ingest', ingestEnv, 'ingest started');

    let web: LocalProcess | undefined;
    if (simulator && webUrl !== undefined && logs.web !== undefined) {
      const webEnv = {
        ...env,
        WEB_ADDRESS: new URL(webUrl).host,
        SPAPI_APPLICATION_ID: simulator.applicationId,
        SPAPI_CONSENT_URL: simulator.url,
        TEMPORAL_UI_URL: temporal.uiUrl,
      };
      step(`starting solicit web (log: ${logs.web})`);
      const page = await startSolicit('web', webEnv, logs.web, 'Sellers page served');
      stops.push(() => page.stop());
      web = page;
    }

    if (plan) step('feeding the demo orders through the queue');
    const fed = plan ? await feedDemo(sqs, queues.queueUrl, client, plan) : undefined;
    return {
      uiUrl: temporal.uiUrl,
      temporalAddress: temporal.address,
      queueUrl: queues.queueUrl,
      deadLetterQueueUrl: queues.deadLetterQueueUrl,
      ...(simulator && { simulatorUrl: simulator.url }),
      ...(web && { sellersUrl: webUrl }),
      ...(plan && fed && { demo: { ...plan, fed } }),
      setup: setup.lines,
      logs,
      ...(options.metrics && {
        metricsUrls: {
          worker: `http://${options.metrics.worker}/metrics`,
          ingest: `http://${options.metrics.ingest}/metrics`,
        },
      }),
      processes: { temporal: temporal.process, sqs: sqsServer.process, worker, ingest, ...(web && { web }) },
      client,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Fails when a port the stack needs is taken, naming the stack of this checkout that holds it if one does:
 * a server started there would exit, and whatever holds the port would answer in its place.
 */
async function assertPortsFree(options: DevStackOptions): Promise<void> {
  const ports: [number, string][] = [
    [options.temporalPort, 'Temporal (--port)'],
    [options.uiPort, 'Temporal Web UI (--ui-port)'],
    [options.sqsPort, 'SQS (--sqs-port)'],
    ...(options.spApi === 'simulator'
      ? [[options.simulatorPort, 'SP-API simulator (--simulator-port)'] as [number, string]]
      : []),
    ...(options.spApi === 'simulator' && options.webPort !== undefined
      ? [[options.webPort, 'Sellers page (--web-port)'] as [number, string]]
      : []),
    ...Object.entries(options.metrics ?? {}).map(
      ([name, address]) => [Number(address.slice(address.lastIndexOf(':') + 1)), `${name} metrics`] as [number, string],
    ),
  ];
  await Promise.all(
    ports.map(([port, what]) =>
      assertPortFree(port, what).catch((error: unknown) => {
        const by = portUser(port, options.otherDataDirs ?? []);
        if (by === undefined) throw error;
        throw new Error(`${(error as Error).message}, by ${by}: stop it, or choose other ports`, { cause: error });
      }),
    ),
  );
}

/** Who holds `port`, in words: a `solicit dev` of this checkout with its addresses, or the process found. */
function portUser(port: number, dataDirs: string[]): string | undefined {
  const found = portHolder(port);
  const stacks = dataDirs.map(dataDirHolder).filter((holder) => holder !== undefined);
  const stack = found ? stacks.find((holder) => holder.pid === found.devStack?.pid) : stacks[0];
  if (stack) return describeHolder(stack);
  if (found?.devStack) return `solicit dev pid ${found.devStack.pid} (${found.devStack.command})`;
  return found && `pid ${found.pid} (${found.command})`;
}

function metricsEnv(env: Record<string, string>, address: string | undefined): Record<string, string> {
  return address === undefined ? env : { ...env, METRICS_ADDRESS: address };
}

/**
 * The simulator's credentials as a deployment keeps them: the sellers in a file the Sellers page adds to
 * (kept in the data folder across restarts, and told to the simulator again, which forgets), the client
 * secret in a file that rotation rewrites (the simulator's own, anew at each start).
 */
function simulatorCredentials(simulator: SpApiSimulator, dataDir: string): Record<string, string> {
  const sellersFile = path.join(dataDir, 'sellers.json');
  let sellers: Record<string, string | { refreshToken: string }>;
  try {
    sellers = JSON.parse(readFileSync(sellersFile, 'utf8')) as typeof sellers;
  } catch {
    sellers = { [SIMULATOR_SELLER_ID]: { refreshToken: SIMULATOR_REFRESH_TOKEN } };
    writeFileSync(sellersFile, `${JSON.stringify(sellers, null, 2)}\n`, { mode: 0o600 });
  }
  for (const [sellerId, entry] of Object.entries(sellers)) {
    simulator.addSeller(sellerId, typeof entry === 'string' ? entry : entry.refreshToken);
  }
  const secretFile = path.join(dataDir, 'lwa-client-secret');
  writeFileSync(secretFile, `${simulator.clientSecret}\n`, { mode: 0o600 });
  const { LWA_CLIENT_SECRET: _secret, LWA_REFRESH_TOKEN: _token, SPAPI_SELLER_ID: _seller, ...rest } = simulator.env();
  return { ...rest, LWA_CLIENT_SECRET_FILE: secretFile, SPAPI_SELLERS_FILE: sellersFile };
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
      // Each process gets a metrics address of its own, or none: two cannot bind one.
      !/^(TEMPORAL_|AWS_|SQS_)|^(TASK_QUEUE|METRICS_ADDRESS)$/.test(name) &&
      // The simulator's settings stand in for every SP-API setting but the pace.
      !(spApi && /^LWA_|^SPAPI_(ENDPOINT|SELLERS_FILE|SELLERS_SECRET_ARN|SELLER_ID)$|^WEB_/.test(name)),
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
  command: 'worker' | 'ingest' | 'web',
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
