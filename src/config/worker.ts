import { z } from 'zod';
import { parseEnv, type Env } from './env';

/**
 * Workflows a worker keeps in memory (SPEC: `WORKER_MAX_CACHED_WORKFLOWS`). A cached workflow holds about
 * 0.16 MiB of live state, but what a worker's memory follows is the garbage its cache churns through; with
 * the young generation bounded (bin/solicit starts node with `--max-semi-space-size`), 250 keep a worker under
 * 400 MiB whatever the number of waiting orders (docs/benchmarks.md, "Worker memory"). An evicted order costs a
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
