import { UsageError } from '../../errors';
import type { Arguments, CommandLine } from '../arguments';

const DEFAULTS = { port: 7233, uiPort: 8233, sqsPort: 9324, simulatorPort: 8100, webPort: 8300, bind: '127.0.0.1' };

// No parsed defaults: whether an option was given decides whether it goes with --simulator-only.
const options = {
  'no-demo': { type: 'boolean', description: 'feed no demo orders' },
  port: { type: 'string', value: 'N', description: `Temporal gRPC port (default ${DEFAULTS.port})` },
  'ui-port': { type: 'string', value: 'N', description: `Temporal Web UI port (default ${DEFAULTS.uiPort})` },
  'sqs-port': { type: 'string', value: 'N', description: `SQS port (default ${DEFAULTS.sqsPort})` },
  'simulator-port': {
    type: 'string',
    value: 'N',
    description: `SP-API simulator port (default ${DEFAULTS.simulatorPort})`,
  },
  'metrics-port': {
    type: 'string',
    value: 'N',
    description: `the worker serves Prometheus metrics on 127.0.0.1:N/metrics and ingest on N+1 (default: none,
or the worker on METRICS_ADDRESS and ingest on its port + 1)`,
  },
  'data-dir': {
    type: 'string',
    value: 'DIR',
    description: `where the orders (temporal.db) and the logs are kept (default .data in the project's folder,
.data/amazon with SP-API credentials); one 'solicit dev' at a time per folder`,
  },
  'web-port': { type: 'string', value: 'N', description: `Sellers page port (default ${DEFAULTS.webPort})` },
  'simulator-only': {
    type: 'boolean',
    description: `run only the SP-API simulator, for a worker elsewhere (docker compose --profile
simulator); with the demo, it feeds the demo orders into SQS_QUEUE_URL, using the
Temporal connection settings (TEMPORAL_ADDRESS, ...) to feed them only once`,
  },
  bind: {
    type: 'string',
    value: 'ADDRESS',
    description: `the simulator's listening address with --simulator-only (default ${DEFAULTS.bind})`,
  },
} as const;

export const devCommandLine: CommandLine<typeof options> = {
  name: 'dev',
  summary: 'the whole stack on this machine, embedded defaults, no cloud account needed',
  synopsis: [
    '[--no-demo] [--port N] [--ui-port N] [--sqs-port N] [--simulator-port N] [--web-port N] [--metrics-port N] [--data-dir DIR]',
    '--simulator-only [--bind ADDRESS] [--simulator-port N] [--no-demo]',
  ],
  description: `Runs the whole product on this machine, no cloud account needed: the Temporal dev server with its Web UI
(orders kept in .data/temporal.db across restarts), an SQS-compatible server with the ORDER_CHANGE queue and
its dead-letter queue, an SP-API simulator standing in for Amazon, 'solicit worker', 'solicit ingest', and
'solicit web', the Sellers page, where a demo seller can be connected through the simulator's consent page.
Then it feeds demo orders through the queue, once per data folder, so that every phase shows in the Web UI.
Logs go to .data/*.log. Ctrl-C, or any stop signal (SIGINT, SIGTERM, SIGHUP), stops everything, and so
does the end of the process that started it.

With SP-API credentials in the environment or in a .env file in the project's folder (LWA_CLIENT_ID,
LWA_CLIENT_SECRET, LWA_REFRESH_TOKEN or SPAPI_SELLERS_FILE), the worker calls Amazon with them instead: no
simulator, no demo, and the orders are kept apart in .data/amazon/.`,
  options,
};

export interface DevOptions {
  demo: boolean;
  port: number;
  uiPort: number;
  sqsPort: number;
  simulatorPort: number;
  /** The worker's metrics port; ingest's is the next one. */
  metricsPort?: number;
  dataDir?: string;
  webPort: number;
  simulatorOnly: boolean;
  bind: string;
}

/** The parsed arguments of `solicit dev`, checked against each other. */
export function devOptions({ options: values }: Arguments<typeof options>): DevOptions {
  const simulatorOnly = values['simulator-only'];
  if (values.bind !== undefined && !simulatorOnly) throw new UsageError('--bind goes with --simulator-only');
  if (simulatorOnly) {
    const stackOption = (['port', 'ui-port', 'sqs-port', 'web-port', 'metrics-port', 'data-dir'] as const).find(
      (name) => values[name] !== undefined,
    );
    if (stackOption) throw new UsageError(`--${stackOption} does not go with --simulator-only`);
  }
  return {
    demo: !values['no-demo'],
    port: portOption('--port', values.port, DEFAULTS.port),
    uiPort: portOption('--ui-port', values['ui-port'], DEFAULTS.uiPort),
    sqsPort: portOption('--sqs-port', values['sqs-port'], DEFAULTS.sqsPort),
    simulatorPort: portOption('--simulator-port', values['simulator-port'], DEFAULTS.simulatorPort),
    webPort: portOption('--web-port', values['web-port'], DEFAULTS.webPort),
    ...(values['metrics-port'] !== undefined && {
      metricsPort: portOption('--metrics-port', values['metrics-port'], 0, 65534),
    }),
    ...(values['data-dir'] !== undefined && { dataDir: values['data-dir'] }),
    simulatorOnly,
    bind: values.bind ?? DEFAULTS.bind,
  };
}

function portOption(name: string, value: string | undefined, fallback: number, highest = 65535): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > highest) {
    throw new UsageError(`${name} must be a port number${highest < 65535 ? ` up to ${highest}` : ''}`);
  }
  return port;
}
