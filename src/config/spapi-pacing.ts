import { z } from 'zod';

const requestsPerSecond = z.coerce
  .number({ error: 'must be a number of requests per second' })
  .positive({ error: 'must be greater than 0' });

/** SPEC "SP-API pacing": the per-seller allowance and the optional cap on the whole SP-API task queue. */
export const spApiPacingSettings = {
  SPAPI_MAX_RPS: requestsPerSecond.default(1),
  SPAPI_MAX_TOTAL_RPS: requestsPerSecond.optional(),
};
