import { z } from 'zod';
import { parseEnv, type Env } from './env';

/**
 * Workflows a worker keeps in memory (SPEC: `WORKER_MAX_CACHED_WORKFLOWS`). A cached workflow costs about
 * 0.4 MiB and an idle worker about 210 MiB (BENCHMARKS.md, "Worker memory"), so 500 keep a worker near
 * 400 MiB, under 512 MiB whatever the number of waiting orders; an evicted order costs a short replay when
 * its timer fires.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 500;

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
