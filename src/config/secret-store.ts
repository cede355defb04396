import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  type SecretsManagerClientConfig,
} from '@aws-sdk/client-secrets-manager';

/**
 * Where a credential the product may rewrite is kept: the client secret (LWA_CLIENT_SECRET_FILE or
 * LWA_CLIENT_SECRET_ARN) or the sellers JSON (SPAPI_SELLERS_FILE or SPAPI_SELLERS_SECRET_ARN). Messages
 * name the variable and the place, never the value.
 */
export interface SecretStore {
  /** The setting that names the store, for messages. */
  readonly variable: string;
  /** The file's path or the secret's ARN. */
  readonly location: string;
  read(): Promise<string>;
  /** Replaces the whole value at once: no reader ever sees half of it. */
  write(value: string): Promise<void>;
  /** Whether `write` can be expected to work (a read-only mount, a file of another user: not). */
  writable(): Promise<boolean>;
}

/**
 * A file replaced atomically: the new text goes to a temporary file beside it, is synced to disk, and is
 * renamed over the old one, so a crash leaves the old file or the new one, never a mix. Its mode is 0600.
 */
export function fileSecretStore(variable: string, file: string): SecretStore {
  return {
    variable,
    location: file,
    read: () => readFile(file, 'utf8'),
    async write(value) {
      const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}`);
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.writeFile(value, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await rename(temporary, file);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      await syncDirectory(path.dirname(file));
    },
    async writable() {
      try {
        await access(path.dirname(file), constants.W_OK);
        return true;
      } catch {
        return false;
      }
    },
  };
}

// The rename is durable only once the directory entry is on disk; some filesystems refuse to sync a directory.
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r').catch(() => undefined);
  if (handle === undefined) return;
  try {
    await handle.sync();
  } catch {
    // Not supported here: the rename is still atomic, only its durability is the filesystem's.
  } finally {
    await handle.close();
  }
}

/**
 * An AWS Secrets Manager secret holding the value as its `SecretString`. Each write is a new version that
 * becomes AWSCURRENT at once. Settings come from the AWS SDK's chain (AWS_REGION,
 * AWS_ENDPOINT_URL_SECRETS_MANAGER, credentials); the region defaults to the ARN's.
 */
export function secretsManagerStore(
  variable: string,
  arn: string,
  config: SecretsManagerClientConfig = {},
): SecretStore & { destroy(): void } {
  const region = /^arn:[^:]+:secretsmanager:([^:]+):/.exec(arn)?.[1];
  const client = new SecretsManagerClient({ ...(region !== undefined && { region }), ...config });
  return {
    variable,
    location: arn,
    async read() {
      const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
      if (SecretString === undefined) throw new Error(`${variable}: the secret ${arn} holds no SecretString`);
      return SecretString;
    },
    async write(value) {
      await client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: value }));
    },
    // Only a write tells whether the role may write; a refused one is reported when it happens.
    writable: () => Promise.resolve(true),
    destroy: () => client.destroy(),
  };
}
