import { requestsPerSecondSetting } from './bounds';

/** SPEC "SP-API pacing": the per-seller allowance and the optional cap on the whole SP-API task queue. */
export const spApiPacingSettings = {
  SPAPI_MAX_RPS: requestsPerSecondSetting.default(1),
  SPAPI_MAX_TOTAL_RPS: requestsPerSecondSetting.optional(),
};
