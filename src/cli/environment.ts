import { POLICY_VARIABLES } from '../config/policy';

/** Environment lines of `--help` that several commands share, each as [variables, meaning]. */
type EnvironmentLine = readonly [string, string];

export const TEMPORAL_CONNECTION: EnvironmentLine = [
  'TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE',
  'Temporal connection (also TEMPORAL_API_KEY, TEMPORAL_TLS_*, profiles)',
];
export const WORKFLOW_TASK_QUEUE: EnvironmentLine = [
  'TASK_QUEUE',
  'workflow task queue (default review-solicitations)',
];
export const NEW_WORKFLOWS_TASK_QUEUE: EnvironmentLine = [
  'TASK_QUEUE',
  'task queue of new workflows (default review-solicitations)',
];
export const ORDER_CHANGE_QUEUE: EnvironmentLine = ['SQS_QUEUE_URL', 'the ORDER_CHANGE queue (required)'];
export const AWS_SQS: EnvironmentLine = [
  'AWS_REGION, AWS_ENDPOINT_URL_SQS',
  "AWS SDK settings; credentials from the AWS SDK's chain",
];
export const LWA_CLIENT: EnvironmentLine = [
  'LWA_CLIENT_ID, LWA_CLIENT_SECRET',
  "the app's Login with Amazon credentials",
];
export const LWA_REFRESH_TOKEN: EnvironmentLine = ['LWA_REFRESH_TOKEN', "one seller's refresh token, or:"];
export const SELLERS_FILE: EnvironmentLine = ['SPAPI_SELLERS_FILE', 'JSON object mapping seller IDs to refresh tokens'];
export const SPAPI_ENDPOINTS: EnvironmentLine = [
  'LWA_ENDPOINT, SPAPI_ENDPOINT',
  'token URL and SP-API base URL overrides (sandbox, simulator)',
];
export const METRICS_ADDRESS: EnvironmentLine = [
  'METRICS_ADDRESS',
  'IP:port to serve Prometheus metrics on (/metrics), e.g. 0.0.0.0:9464',
];
export const LOG_LEVEL: EnvironmentLine = ['LOG_LEVEL', 'debug, info, warn, error (default info)'];

/** The solicitation policy of new workflows. */
export const POLICY: readonly EnvironmentLine[] = Object.entries(POLICY_VARIABLES);
