import { z } from 'zod';
import { parseEnv, type Env } from '../config/env';
import { settingsSchema } from '../config/settings';
import { ConfigError } from '../errors';
import type { Logger } from '../logging';
import { createSpApiClients, type SpApiClientOptions } from '../spapi/clients';
import { appCredentialsFromEnv, clientSecretStoreFromEnv, type OpenedSecrets } from '../spapi/from-env';
import { CLIENT_SECRET_ROTATION_SCOPE } from '../spapi/application-client';
import { LwaTokenProvider } from '../spapi/lwa';
import { liveSellers } from '../spapi/sellers';
import { ClientSecretRotation } from './client-secret-rotation';

// LWA_CLIENT_ID is optional here: without it the process only logs application notices.
const envSchema = settingsSchema('SOLICIT_ROTATE_SECRET').extend({ LWA_CLIENT_ID: z.string().optional() });

export interface RotationFromEnvOptions extends SpApiClientOptions {
  logger: Logger;
  secrets?: OpenedSecrets;
  setClientSecretExpiry: (expiresAt: Date) => void;
}

/**
 * The client secret's rotation as the environment sets it up, or undefined when the process has no
 * LWA_CLIENT_ID (its notices are then only logged). SOLICIT_ROTATE_SECRET defaults to `auto` when the
 * secret store (LWA_CLIENT_SECRET_FILE or LWA_CLIENT_SECRET_ARN) is writable; `auto` asked for without
 * one is a bad setting.
 */
export async function clientSecretRotationFromEnv(
  env: Env,
  options: RotationFromEnvOptions,
): Promise<ClientSecretRotation | undefined> {
  const settings = parseEnv(envSchema, env);
  if (settings.LWA_CLIENT_ID === undefined) return undefined;
  const app = appCredentialsFromEnv(env, options);
  const store = clientSecretStoreFromEnv(env);
  const writable = store !== undefined && (await store.writable());
  if (settings.SOLICIT_ROTATE_SECRET === 'auto' && !writable) {
    throw new ConfigError(
      'SOLICIT_ROTATE_SECRET: auto needs a writable LWA_CLIENT_SECRET_FILE or LWA_CLIENT_SECRET_ARN to store the new secret',
    );
  }
  const mode = settings.SOLICIT_ROTATE_SECRET ?? (writable ? 'auto' : 'off');
  const { application } = createSpApiClients({ ...app, sellers: liveSellers(() => new Map()) }, options);
  return new ClientSecretRotation({
    clientId: app.lwaClientId,
    mode,
    store: writable ? store : undefined,
    rotate: () => application.rotateApplicationClientSecret(),
    async check(secret) {
      const lwa = new LwaTokenProvider({
        endpoint: app.lwaEndpoint,
        clientId: app.lwaClientId,
        clientSecret: secret,
        fetch: options.fetch,
        observeResponse: options.observeResponse,
      });
      // The rotation's own scope: an app that receives a new secret is enrolled for it.
      await lwa.accessToken(
        { type: 'client_credentials', scope: CLIENT_SECRET_ROTATION_SCOPE },
        'check new client secret',
        {
          bypassCircuit: true,
        },
      );
    },
    setClientSecretExpiry: options.setClientSecretExpiry,
    logger: options.logger,
  });
}
