import { Connection, Client } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';
import { parseEnv, type Env } from './env';
import { ConfigError } from '../errors';
import { DEFAULT_TEMPORAL_ADDRESS, DEFAULT_TEMPORAL_NAMESPACE, settingsSchema } from './settings';

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  connectionOptions: ReturnType<typeof loadClientConnectConfig>['connectionOptions'];
}

/**
 * The Temporal connection, read the way `@temporalio/envconfig` reads it: TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE and the TOML profile file.
 */
export function temporalSettings(env: Env = process.env): TemporalSettings {
  let loaded: ReturnType<typeof loadClientConnectConfig>;
  try {
    loaded = loadClientConnectConfig({ overrideEnvVars: definedOnly(env) });
  } catch (error) {
    throw new ConfigError(`Temporal configuration: ${(error as Error).message.split('\n')[0]}`);
  }
  const { TASK_QUEUE } = parseEnv(settingsSchema('TASK_QUEUE'), env);
  return {
    address: loaded.connectionOptions.address ?? DEFAULT_TEMPORAL_ADDRESS,
    namespace: loaded.namespace ?? DEFAULT_TEMPORAL_NAMESPACE,
    taskQueue: TASK_QUEUE,
    connectionOptions: loaded.connectionOptions,
  };
}

/**
 * A client of the configured namespace. A server that does not answer within `connectTimeout` fails with
 * one line naming its address, so that a command does not hang on a wrong TEMPORAL_ADDRESS.
 */
export async function connectClient(
  settings: TemporalSettings,
  options: { connectTimeout?: Duration } = {},
): Promise<Client> {
  let connection: Connection;
  try {
    connection = await Connection.connect({
      ...settings.connectionOptions,
      address: settings.address,
      connectTimeout: options.connectTimeout,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot connect to Temporal at ${settings.address}: ${reason}`, { cause: error });
  }
  return new Client({ connection, namespace: settings.namespace });
}

export function connectWorker(settings: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect({ ...settings.connectionOptions, address: settings.address });
}

function definedOnly(env: Env): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
