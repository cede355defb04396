import { z } from 'zod';
import { reconcileScheduleSettings, searchOrdersPacingSettings } from '../reconcile/settings';
import { spApiPacingSettings } from './spapi-pacing';

/** The settings `solicit setup` applies to a namespace (and `solicit dev` at its start). */
export const namespaceSetupEnvSchema = z.object({
  ...reconcileScheduleSettings,
  ...spApiPacingSettings,
  ...searchOrdersPacingSettings,
});
