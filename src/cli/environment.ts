import { POLICY_SETTINGS } from '../config/policy';
import { environmentLine, type SettingName } from '../config/settings';

type EnvironmentLine = readonly [variable: string, meaning: string];

/** The `--help` environment lines of these settings, from the one table of settings. */
export function environment(...names: SettingName[]): EnvironmentLine[] {
  return names.map(environmentLine);
}

/** Where Temporal is (the rest of `@temporalio/envconfig`'s variables are in docs/configuration.md). */
export const TEMPORAL_CONNECTION = environment(
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS',
  'TEMPORAL_PROFILE',
);

/** The AWS SDK's settings of the queue; credentials come from the SDK's chain. */
export const AWS_SQS = environment('AWS_REGION', 'AWS_ENDPOINT_URL_SQS');

/** The app's credentials and a seller's (or a file of sellers'), for the commands that call SP-API. */
export const SP_API_CREDENTIALS = environment(
  'LWA_CLIENT_ID',
  'LWA_CLIENT_SECRET',
  'LWA_CLIENT_SECRET_FILE',
  'LWA_REFRESH_TOKEN',
  'SPAPI_SELLERS_FILE',
  'LWA_ENDPOINT',
  'SPAPI_ENDPOINT',
);

/** The solicitation policy of new workflows. */
export const POLICY = environment(...POLICY_SETTINGS);

/** What the processes that run until stopped read last: where metrics are served, the log level, the policy. */
export const SERVICE = [...environment('METRICS_ADDRESS', 'LOG_LEVEL'), ...POLICY];
