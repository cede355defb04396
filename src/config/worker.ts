import { z } from 'zod';
import { parseEnv, type Env } from './env';

/**
 * Workflows a worker keeps in memory (SPEC: `WORKER_MAX_CACHED_WORKFLOWS`). A cached workflow holds about
 * 0.16 MiB of live state, but what a worker's memory follows is the garbage its cache churns through; with
 * the young generation bounded (bin/solicit starts node with `--max-semi-space-size`), 250 keep a worker under
 * 400 MiB whatever the number of waiting orders (BENCHMARKS.md, "Worker memory"). An evicted order costs a
 * replay of its short history when its timer fires, days later.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 250;

const schema = z.object({
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce
    .number({ error: 'must be a whole number of workflows' })
    .int({ error: 'must be a whole number of workflows' })
    .min(1, { error: 'must be at least 1' })
    .default(DEFAULT_MAX_CACHED_WORKFLOWS),
});

export function maxCachedWorkflowsFromEnv(env: Env = process.env): number {
  return parseEnv(schema, env).WORKER_MAX_CACHED_WORKFLOWS;
}

/**
 * Temporal Worker Versioning (docs/spec.md "Deploys"): with WORKER_DEPLOYMENT_NAME set, the worker runs
 * as version WORKER_BUILD_ID of that Worker Deployment; unset, it is unversioned. A build ID without a
 * deployment is allowed, so that manifests can always carry their image's build ID.
 */
const deploymentSchema = z
  .object({
    WORKER_DEPLOYMENT_NAME: z
      .string()
      .max(255, { error: 'must be at most 255 characters' })
      .regex(/^[^.\s]+$/, { error: "must not hold '.' or whitespace" })
      .optional(),
    WORKER_BUILD_ID: z
      .string()
      .max(255, { error: 'must be at most 255 characters' })
      .regex(/^\S+$/, { error: 'must not hold whitespace' })
      .optional(),
  })
  .refine((env) => env.WORKER_DEPLOYMENT_NAME === undefined || env.WORKER_BUILD_ID !== undefined, {
    error: 'required when WORKER_DEPLOYMENT_NAME is set',
    path: ['WORKER_BUILD_ID'],
  });

export interface WorkerDeploymentVersion {
  deploymentName: string;
  buildId: string;
}

export function workerDeploymentFromEnv(env: Env = process.env): WorkerDeploymentVersion | undefined {
  const { WORKER_DEPLOYMENT_NAME: deploymentName, WORKER_BUILD_ID: buildId } = parseEnv(deploymentSchema, env);
  return deploymentName === undefined || buildId === undefined ? undefined : { deploymentName, buildId };
}
