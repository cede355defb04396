import { z } from 'zod';
import { requestsPerSecondSetting } from './bounds';

/** SPEC "SP-API pacing": the per-seller allowance and the optional cap on the whole SP-API task queue. */
export const spApiPacingSettings = {
  SPAPI_MAX_RPS: requestsPerSecondSetting.default(1),
  SPAPI_MAX_TOTAL_RPS: requestsPerSecondSetting.optional(),
};

/**
 * docs/spec.md "SP-API pacing": `key` (each seller its own limit) or `queue` (one limit shared by all
 * sellers, accepted on purpose on a server that refuses the per-key configuration). Read by the worker.
 */
export const spApiPacingModeSetting = {
  SPAPI_PACING: z.enum(['key', 'queue'], { error: 'must be key or queue' }).default('key'),
};
