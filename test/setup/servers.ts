/** Where the integration project's global setup put the run's servers; read by every integration test. */
export interface RunServers {
  temporalAddress: string;
  temporalNamespace: string;
  /**
   * A workflow task queue whose `-spapi` queue the server paces per seller (fairness on, one partition):
   * every queue on the dev server, only this one on the production-shaped server.
   */
  pacedTaskQueue: string;
  sqsEndpoint: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
  /** moto's Secrets Manager (AWS_ENDPOINT_URL_SECRETS_MANAGER). */
  secretsManagerEndpoint: string;
}

const KEY = 'REVIEW_SOLICITATIONS_TEST_SERVERS';

export function publishRunServers(servers: RunServers): void {
  process.env[KEY] = JSON.stringify(servers);
}

export function runServers(): RunServers {
  const raw = process.env[KEY];
  if (!raw) throw new Error('integration servers are not running: run the integration project through jest');
  return JSON.parse(raw) as RunServers;
}

/** TEST_TEMPORAL_SERVER=production: the run is against the production-shaped Temporal, not the dev server. */
export function runsOnProductionTemporal(): boolean {
  return process.env.TEST_TEMPORAL_SERVER === 'production';
}
