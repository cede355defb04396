import { z } from 'zod';
import { parseEnv, type Env } from '../config/env';
import { LiveFile } from '../config/live-file';
import { settingsSchema } from '../config/settings';
import { ConfigError } from '../errors';
import type { Logger } from '../logging';
import { MARKETPLACE_REGIONS } from './endpoints';
import { createSpApiClients, type SpApiClientOptions, type SpApiClients, type SpApiConfig } from './clients';
import { liveSellers, singleSeller, type SellerAuthorizations, type SellerEntry } from './sellers';

export { DEFAULT_LWA_ENDPOINT } from '../config/settings';

const sellersEnvSchema = settingsSchema('LWA_REFRESH_TOKEN', 'SPAPI_SELLERS_FILE');

const spApiEnvSchema = settingsSchema(
  'LWA_CLIENT_ID',
  'LWA_CLIENT_SECRET',
  'LWA_CLIENT_SECRET_FILE',
  'LWA_ENDPOINT',
  'SPAPI_ENDPOINT',
);

const refreshToken = z.string().trim().min(1);
const sellersFileSchema = z
  .record(
    z.string().min(1),
    z.union([
      refreshToken.transform((token): SellerEntry => ({ refreshToken: token })),
      z.strictObject({
        refreshToken,
        marketplaces: z.array(z.string().min(1)).min(1).optional(),
        paused: z.boolean().optional(),
      }),
    ]),
  )
  .refine((sellers) => Object.keys(sellers).length > 0);

/** Where the live files report a change that cannot be used. */
export interface FromEnvOptions {
  logger?: Logger;
}

/**
 * Reads the SP-API settings (docs/spec.md, "Configuration"). Throws `ConfigError` with one line naming the
 * variable and never its value.
 */
export function spApiConfigFromEnv(env: Env = process.env, options: FromEnvOptions = {}): SpApiConfig {
  const sellers = sellersFromEnv(env, options);
  const settings = parseEnv(spApiEnvSchema, env);
  return {
    lwaClientId: settings.LWA_CLIENT_ID,
    lwaClientSecret: clientSecret(settings, options),
    lwaEndpoint: settings.LWA_ENDPOINT,
    spApiEndpoint: settings.SPAPI_ENDPOINT,
    sellers,
  };
}

/**
 * The sellers this deployment acts for, without the app's credentials: what ingest needs to leave a
 * notification for an unknown seller to the dead-letter queue. Exactly one of LWA_REFRESH_TOKEN (every
 * seller is that seller) and SPAPI_SELLERS_FILE (only the sellers it lists) must be set: with both, which
 * seller an unknown ID would be is a guess this product does not make.
 */
export function sellersFromEnv(env: Env = process.env, options: FromEnvOptions = {}): SellerAuthorizations {
  const { LWA_REFRESH_TOKEN: refreshToken, SPAPI_SELLERS_FILE: sellersFile } = parseEnv(sellersEnvSchema, env);
  if (refreshToken !== undefined && sellersFile !== undefined) {
    throw new ConfigError('SPAPI_SELLERS_FILE: set either it or LWA_REFRESH_TOKEN, not both');
  }
  if (sellersFile !== undefined) return sellersFromFile(sellersFile, options);
  if (refreshToken !== undefined) return singleSeller(refreshToken);
  throw new ConfigError('LWA_REFRESH_TOKEN: is required (or SPAPI_SELLERS_FILE for several sellers)');
}

/** The SP-API clients, configured from the environment. */
export function spApiClientsFromEnv(env: Env = process.env, options: SpApiClientOptions = {}): SpApiClients {
  return createSpApiClients(spApiConfigFromEnv(env, options), options);
}

/**
 * LWA_CLIENT_SECRET, or LWA_CLIENT_SECRET_FILE re-read when it changes (a rotated secret needs no
 * restart). Surrounding whitespace, such as a file's trailing newline, is not part of the secret.
 */
function clientSecret(settings: z.output<typeof spApiEnvSchema>, options: FromEnvOptions): string | (() => string) {
  const { LWA_CLIENT_SECRET: secret, LWA_CLIENT_SECRET_FILE: file } = settings;
  if (secret !== undefined && file !== undefined) {
    throw new ConfigError('LWA_CLIENT_SECRET_FILE: set either it or LWA_CLIENT_SECRET, not both');
  }
  if (file !== undefined) {
    const live = new LiveFile({
      variable: 'LWA_CLIENT_SECRET_FILE',
      path: file,
      logger: options.logger,
      parse(text) {
        const trimmed = text.trim();
        if (trimmed === '') throw new Error('is empty');
        return trimmed;
      },
    });
    return () => live.current;
  }
  if (secret === undefined || secret.trim() === '') {
    throw new ConfigError('LWA_CLIENT_SECRET: is required (or LWA_CLIENT_SECRET_FILE)');
  }
  return secret.trim();
}

// The file holds refresh tokens: no message quotes its content (JSON.parse's own messages do).
function sellersFromFile(file: string, options: FromEnvOptions): SellerAuthorizations {
  const live = new LiveFile({
    variable: 'SPAPI_SELLERS_FILE',
    path: file,
    logger: options.logger,
    parse(text): ReadonlyMap<string, SellerEntry> {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error('is not valid JSON');
      }
      const sellers = sellersFileSchema.safeParse(json);
      if (!sellers.success) {
        throw new Error(
          'must be a JSON object mapping each seller ID to its refresh token or to ' +
            '{ "refreshToken", "marketplaces"?, "paused"? }',
        );
      }
      // A mistyped ID would quietly turn away every order of the marketplace meant.
      for (const [sellerId, entry] of Object.entries(sellers.data)) {
        const unknown = entry.marketplaces?.find((id) => !Object.hasOwn(MARKETPLACE_REGIONS, id));
        if (unknown !== undefined) {
          throw new Error(`gives seller ${sellerId} the marketplace '${unknown}', not one of Amazon's marketplace IDs`);
        }
      }
      return new Map(Object.entries(sellers.data));
    },
  });
  return liveSellers(() => live.current);
}
