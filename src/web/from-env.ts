import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { parseEnv, type Env } from '../config/env';
import { isLoopbackHost } from '../config/secure-url';
import { settingsSchema } from '../config/settings';
import { CATCH_UP_DAYS } from '../credentials/authorization-expiry';
import type { SpApiRegion } from '../domain/marketplaces';
import { RECONCILE_WORKFLOW_TYPE, type ReconcileOrdersInput } from '../reconcile/workflow/contract';
import { ConfigError } from '../errors';
import type { Logger } from '../logging';
import { appCredentialsFromEnv, sellersStoreFromEnv, type OpenedSecrets } from '../spapi/from-env';
import { exchangeAuthorizationCode } from '../spapi/lwa-authorization-code';
import type { SellersWebOptions } from './server';

const envSchema = settingsSchema(
  'WEB_ADDRESS',
  'WEB_PUBLIC_URL',
  'WEB_TOKEN',
  'TEMPORAL_UI_URL',
  'SPAPI_APPLICATION_ID',
  'SPAPI_CONSENT_URL',
  'SPAPI_AUTHORIZE_BETA',
);
const CATCH_UP_DELAY_SECONDS = 10;

/**
 * `solicit web`'s options from the environment. The page is open only on a loopback address; anywhere
 * else WEB_TOKEN is required.
 */
export function sellersWebFromEnv(
  env: Env,
  deps: { client: Client; namespace: string; taskQueue: string; logger: Logger; secrets?: OpenedSecrets },
): SellersWebOptions {
  const settings = parseEnv(envSchema, env);
  const at = settings.WEB_ADDRESS.lastIndexOf(':');
  const host = settings.WEB_ADDRESS.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  const port = Number(settings.WEB_ADDRESS.slice(at + 1));
  if (settings.WEB_TOKEN === undefined && !isLoopbackHost(host)) {
    throw new ConfigError('WEB_TOKEN: is required when WEB_ADDRESS is not a loopback address');
  }
  const consent =
    settings.SPAPI_APPLICATION_ID === undefined
      ? undefined
      : {
          applicationId: settings.SPAPI_APPLICATION_ID,
          ...(settings.SPAPI_CONSENT_URL !== undefined && { consentUrl: settings.SPAPI_CONSENT_URL }),
          beta: settings.SPAPI_AUTHORIZE_BETA,
        };
  // The app's credentials are needed only to exchange codes, so a page that only lists does without them.
  const app = consent === undefined ? undefined : appCredentialsFromEnv(env, deps);
  return {
    host,
    port,
    publicUrl: settings.WEB_PUBLIC_URL ?? `http://${settings.WEB_ADDRESS}`,
    ...(settings.WEB_TOKEN !== undefined && { token: settings.WEB_TOKEN }),
    sellersStore: sellersStoreFromEnv(env),
    ...(consent !== undefined && { consent }),
    client: deps.client,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    ...(settings.TEMPORAL_UI_URL !== undefined && { temporalUiUrl: settings.TEMPORAL_UI_URL }),
    exchangeCode(code, redirectUri) {
      if (app === undefined) throw new ConfigError('SPAPI_APPLICATION_ID: is required to connect sellers');
      const secret = app.lwaClientSecret;
      return exchangeAuthorizationCode({
        endpoint: app.lwaEndpoint,
        clientId: app.lwaClientId,
        clientSecret: typeof secret === 'function' ? secret() : secret,
        code,
        redirectUri,
      });
    },
    startCatchUp: (sellerId, region) => startCatchUp(deps.client, deps.taskQueue, sellerId, region),
    logger: deps.logger,
  };
}

/**
 * A reconciliation of the connected seller alone, in the region it connected in, over the last 30 days,
 * under one workflow ID per seller: starting orders is idempotent, and a catch-up already running is left
 * to finish.
 */
async function startCatchUp(client: Client, taskQueue: string, sellerId: string, region: SpApiRegion): Promise<void> {
  const input: ReconcileOrdersInput = { days: CATCH_UP_DAYS, force: true, sellerIds: [sellerId], regions: [region] };
  try {
    await client.workflow.start(RECONCILE_WORKFLOW_TYPE, {
      workflowId: `reconcile-orders-catch-up-${sellerId}`,
      taskQueue,
      args: [input],
      // Every process takes a changed sellers store within 10 seconds (docs/spec.md, "Configuration"): a
      // run that started at once could list the sellers before the one just connected.
      startDelay: `${CATCH_UP_DELAY_SECONDS} seconds`,
      staticSummary: `Catch-up of seller ${sellerId} after it connected: Shipped orders of the last ${CATCH_UP_DAYS} days`,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
