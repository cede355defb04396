import { z } from 'zod';
import { parseEnv, type Env } from '../config/env';
import { sharedLiveFile } from '../config/live-file';
import { LiveSecret } from '../config/live-secret';
import { fileSecretStore, secretsManagerStore, type SecretStore } from '../config/secret-store';
import { settingsSchema } from '../config/settings';
import { ConfigError } from '../errors';
import type { Logger } from '../logging';
import { MARKETPLACE_REGIONS } from './endpoints';
import { createSpApiClients, type SpApiClientOptions, type SpApiClients, type SpApiConfig } from './clients';
import { liveSellers, singleSeller, type SellerAuthorizations, type SellerEntry } from './sellers';

export { DEFAULT_LWA_ENDPOINT } from '../config/settings';

const sellersEnvSchema = settingsSchema('LWA_REFRESH_TOKEN', 'SPAPI_SELLERS_FILE', 'SPAPI_SELLERS_SECRET_ARN');

const secretArnsSchema = settingsSchema('LWA_CLIENT_SECRET_ARN', 'SPAPI_SELLERS_SECRET_ARN');

const spApiEnvSchema = settingsSchema(
  'LWA_CLIENT_ID',
  'LWA_CLIENT_SECRET',
  'LWA_CLIENT_SECRET_FILE',
  'LWA_CLIENT_SECRET_ARN',
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
        authorizedAt: z.iso.datetime({ offset: true }).optional(),
      }),
    ]),
  )
  .refine((sellers) => Object.keys(sellers).length > 0);

/** Where the live files report a change that cannot be used. */
export interface FromEnvOptions {
  logger?: Logger;
  /** The Secrets Manager secrets the environment names, opened by `openSecrets` (they are read asynchronously). */
  secrets?: OpenedSecrets;
}

/** The settings kept in Secrets Manager, read at start and re-read while the process runs. */
export interface OpenedSecrets {
  clientSecret?: LiveSecret<string>;
  sellers?: LiveSecret<ReadonlyMap<string, SellerEntry>>;
}

/**
 * Opens LWA_CLIENT_SECRET_ARN and SPAPI_SELLERS_SECRET_ARN, when set, for `spApiConfigFromEnv` and
 * `sellersFromEnv`: a secret that cannot be read or used stops the process with a `ConfigError`.
 */
export async function openSecrets(env: Env = process.env, options: { logger?: Logger } = {}): Promise<OpenedSecrets> {
  const { LWA_CLIENT_SECRET_ARN: clientSecretArn, SPAPI_SELLERS_SECRET_ARN: sellersArn } = parseEnv(
    secretArnsSchema,
    env,
  );
  const [clientSecret, sellers] = await Promise.all([
    clientSecretArn === undefined
      ? undefined
      : LiveSecret.open({
          store: secretsManagerStore('LWA_CLIENT_SECRET_ARN', clientSecretArn),
          parse: parseClientSecret,
          logger: options.logger,
        }),
    sellersArn === undefined
      ? undefined
      : LiveSecret.open({
          store: secretsManagerStore('SPAPI_SELLERS_SECRET_ARN', sellersArn),
          parse: parseSellers,
          logger: options.logger,
        }),
  ]);
  return { ...(clientSecret && { clientSecret }), ...(sellers && { sellers }) };
}

/** Where the client secret is kept when the product may replace it; undefined for LWA_CLIENT_SECRET itself. */
export function clientSecretStoreFromEnv(env: Env = process.env): SecretStore | undefined {
  const { LWA_CLIENT_SECRET_FILE: file, LWA_CLIENT_SECRET_ARN: arn } = parseEnv(spApiEnvSchema.partial(), env);
  if (arn !== undefined) return secretsManagerStore('LWA_CLIENT_SECRET_ARN', arn);
  if (file !== undefined) return fileSecretStore('LWA_CLIENT_SECRET_FILE', file);
  return undefined;
}

/** Where the sellers JSON is kept (a file or a secret); undefined with a single LWA_REFRESH_TOKEN. */
export function sellersStoreFromEnv(env: Env = process.env): SecretStore | undefined {
  const { SPAPI_SELLERS_FILE: file, SPAPI_SELLERS_SECRET_ARN: arn } = parseEnv(sellersEnvSchema, env);
  if (arn !== undefined) return secretsManagerStore('SPAPI_SELLERS_SECRET_ARN', arn);
  if (file !== undefined) return fileSecretStore('SPAPI_SELLERS_FILE', file);
  return undefined;
}

/**
 * Reads the SP-API settings (docs/spec.md, "Configuration"). Throws `ConfigError` with one line naming the
 * variable and never its value.
 */
export function spApiConfigFromEnv(env: Env = process.env, options: FromEnvOptions = {}): SpApiConfig {
  const sellers = sellersFromEnv(env, options);
  return { ...appCredentialsFromEnv(env, options), sellers };
}

/** The app's own LWA credentials and endpoints, for grantless calls that act for no seller. */
export function appCredentialsFromEnv(
  env: Env = process.env,
  options: FromEnvOptions = {},
): Omit<SpApiConfig, 'sellers'> {
  const settings = parseEnv(spApiEnvSchema, env);
  return {
    lwaClientId: settings.LWA_CLIENT_ID,
    lwaClientSecret: clientSecret(settings, options),
    lwaEndpoint: settings.LWA_ENDPOINT,
    spApiEndpoint: settings.SPAPI_ENDPOINT,
  };
}

/**
 * The sellers this deployment acts for, without the app's credentials: what ingest needs to leave a
 * notification for an unknown seller to the dead-letter queue. Exactly one of LWA_REFRESH_TOKEN (every
 * seller is that seller) and SPAPI_SELLERS_FILE (only the sellers it lists) must be set: with both, which
 * seller an unknown ID would be is a guess this product does not make.
 */
export function sellersFromEnv(env: Env = process.env, options: FromEnvOptions = {}): SellerAuthorizations {
  const {
    LWA_REFRESH_TOKEN: refreshToken,
    SPAPI_SELLERS_FILE: sellersFile,
    SPAPI_SELLERS_SECRET_ARN: sellersArn,
  } = parseEnv(sellersEnvSchema, env);
  if (refreshToken !== undefined && sellersFile !== undefined) {
    throw new ConfigError('SPAPI_SELLERS_FILE: set either it or LWA_REFRESH_TOKEN, not both');
  }
  if (sellersArn !== undefined) {
    if (refreshToken !== undefined || sellersFile !== undefined) {
      throw new ConfigError('SPAPI_SELLERS_SECRET_ARN: set only one of it, SPAPI_SELLERS_FILE and LWA_REFRESH_TOKEN');
    }
    const live = options.secrets?.sellers;
    if (live === undefined) throw new ConfigError('SPAPI_SELLERS_SECRET_ARN: the secret was not opened');
    return liveSellers(() => live.current);
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
  const { LWA_CLIENT_SECRET: secret, LWA_CLIENT_SECRET_FILE: file, LWA_CLIENT_SECRET_ARN: arn } = settings;
  if (secret !== undefined && file !== undefined) {
    throw new ConfigError('LWA_CLIENT_SECRET_FILE: set either it or LWA_CLIENT_SECRET, not both');
  }
  if (arn !== undefined) {
    if (secret !== undefined || file !== undefined) {
      throw new ConfigError('LWA_CLIENT_SECRET_ARN: set only one of it, LWA_CLIENT_SECRET_FILE and LWA_CLIENT_SECRET');
    }
    const live = options.secrets?.clientSecret;
    if (live === undefined) throw new ConfigError('LWA_CLIENT_SECRET_ARN: the secret was not opened');
    return () => live.current;
  }
  if (file !== undefined) {
    const live = sharedLiveFile({
      variable: 'LWA_CLIENT_SECRET_FILE',
      path: file,
      logger: options.logger,
      parse: parseClientSecret,
    });
    return () => live.current;
  }
  if (secret === undefined || secret.trim() === '') {
    throw new ConfigError('LWA_CLIENT_SECRET: is required (or LWA_CLIENT_SECRET_FILE)');
  }
  return secret.trim();
}

function sellersFromFile(file: string, options: FromEnvOptions): SellerAuthorizations {
  const live = sharedLiveFile({
    variable: 'SPAPI_SELLERS_FILE',
    path: file,
    logger: options.logger,
    parse: parseSellers,
  });
  return liveSellers(() => live.current);
}

/** Surrounding whitespace, such as a file's trailing newline, is not part of the secret. */
function parseClientSecret(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') throw new Error('is empty');
  return trimmed;
}

/**
 * The sellers JSON (SPAPI_SELLERS_FILE or SPAPI_SELLERS_SECRET_ARN). It holds refresh tokens: no message
 * quotes its content (JSON.parse's own messages do).
 */
export function parseSellers(text: string): ReadonlyMap<string, SellerEntry> {
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
        '{ "refreshToken", "marketplaces"?, "paused"?, "authorizedAt"? }',
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
}
