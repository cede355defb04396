import { settingsSchema } from './settings';

/** The settings `solicit setup` applies to a namespace (and `solicit dev` at its start). */
export const namespaceSetupEnvSchema = settingsSchema(
  'RECONCILE_INTERVAL',
  'RECONCILE_DAYS',
  'SPAPI_MAX_RPS',
  'SPAPI_MAX_TOTAL_RPS',
  'SPAPI_SEARCH_ORDERS_RPS',
);
