import { parseEnv, type Env } from './env';
import { settingsSchema } from './settings';

/** Workflows a worker keeps in memory (`DEFAULT_MAX_CACHED_WORKFLOWS` of ./settings says why 250). */
export function maxCachedWorkflowsFromEnv(env: Env = process.env): number {
  return parseEnv(settingsSchema('WORKER_MAX_CACHED_WORKFLOWS'), env).WORKER_MAX_CACHED_WORKFLOWS;
}
