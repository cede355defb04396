import { POLICY_VARIABLES } from '../config/policy';

/** Environment lines of `--help` that several commands share: variables, and what they mean. */
export const ENV = {
  temporal: 'Temporal connection (also TEMPORAL_API_KEY, TEMPORAL_TLS_*, profiles)',
  taskQueue: 'workflow task queue (default review-solicitations)',
  newWorkflowsTaskQueue: 'task queue of new workflows (default review-solicitations)',
  sqsQueue: 'the ORDER_CHANGE queue (required)',
  awsSqs: "AWS SDK settings; credentials from the AWS SDK's chain",
  lwaClient: "the app's Login with Amazon credentials",
  refreshToken: "one seller's refresh token, or:",
  sellersFile: 'JSON object mapping seller IDs to refresh tokens',
  marketplaces: 'with LWA_REFRESH_TOKEN: comma-separated marketplace IDs served (default all)',
  endpoints: 'token URL and SP-API base URL overrides (sandbox, simulator)',
  metrics: 'IP:port to serve Prometheus metrics on (/metrics), e.g. 0.0.0.0:9464',
  logLevel: 'debug, info, warn, error (default info)',
};

type EnvironmentLine = readonly [variables: string, meaning: string];

export const TEMPORAL_CONNECTION: EnvironmentLine = ['TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE', ENV.temporal];
export const WORKFLOW_TASK_QUEUE: EnvironmentLine = ['TASK_QUEUE', ENV.taskQueue];
export const NEW_WORKFLOWS_TASK_QUEUE: EnvironmentLine = ['TASK_QUEUE', ENV.newWorkflowsTaskQueue];
export const ORDER_CHANGE_QUEUE: EnvironmentLine = ['SQS_QUEUE_URL', ENV.sqsQueue];
export const AWS_SQS: EnvironmentLine = ['AWS_REGION, AWS_ENDPOINT_URL_SQS', ENV.awsSqs];
export const METRICS_ADDRESS: EnvironmentLine = ['METRICS_ADDRESS', ENV.metrics];
export const LOG_LEVEL: EnvironmentLine = ['LOG_LEVEL', ENV.logLevel];
export const LWA_CLIENT: EnvironmentLine = ['LWA_CLIENT_ID, LWA_CLIENT_SECRET', ENV.lwaClient];
export const LWA_REFRESH_TOKEN: EnvironmentLine = ['LWA_REFRESH_TOKEN', ENV.refreshToken];
export const SPAPI_ENDPOINTS: EnvironmentLine = ['LWA_ENDPOINT, SPAPI_ENDPOINT', ENV.endpoints];
export const SOLICIT_MARKETPLACES: EnvironmentLine = ['SOLICIT_MARKETPLACES', ENV.marketplaces];

/** The app's credentials and a seller's (or a file of sellers'), for the commands that call SP-API. */
export const SP_API_CREDENTIALS: readonly EnvironmentLine[] = [
  LWA_CLIENT,
  LWA_REFRESH_TOKEN,
  ['SPAPI_SELLERS_FILE', ENV.sellersFile],
  SPAPI_ENDPOINTS,
];

/** The solicitation policy of new workflows. */
export const POLICY: readonly EnvironmentLine[] = Object.entries(POLICY_VARIABLES);
