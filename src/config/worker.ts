import { parseEnv, type Env } from './env';
import { settingsSchema } from './settings';

/** Workflows a worker keeps in memory (`DEFAULT_MAX_CACHED_WORKFLOWS` of ./settings says why 250). */
export function maxCachedWorkflowsFromEnv(env: Env = process.env): number {
  return parseEnv(settingsSchema('WORKER_MAX_CACHED_WORKFLOWS'), env).WORKER_MAX_CACHED_WORKFLOWS;
}

/**
 * Temporal Worker Versioning (docs/spec.md "Deploys"): with WORKER_DEPLOYMENT_NAME set, the worker runs
 * as version WORKER_BUILD_ID of that Worker Deployment; unset, it is unversioned. A build ID without a
 * deployment is allowed, so that manifests can always carry their image's build ID.
 */
export const WORKER_DEPLOYMENT_SETTINGS = ['WORKER_DEPLOYMENT_NAME', 'WORKER_BUILD_ID'] as const;

const deploymentSchema = settingsSchema(...WORKER_DEPLOYMENT_SETTINGS).refine(
  (env) => env.WORKER_DEPLOYMENT_NAME === undefined || env.WORKER_BUILD_ID !== undefined,
  { error: 'required when WORKER_DEPLOYMENT_NAME is set', path: ['WORKER_BUILD_ID'] },
);

export interface WorkerDeploymentVersion {
  deploymentName: string;
  buildId: string;
}

export function workerDeploymentFromEnv(env: Env = process.env): WorkerDeploymentVersion | undefined {
  const { WORKER_DEPLOYMENT_NAME: deploymentName, WORKER_BUILD_ID: buildId } = parseEnv(deploymentSchema, env);
  return deploymentName === undefined || buildId === undefined ? undefined : { deploymentName, buildId };
}
