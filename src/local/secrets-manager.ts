import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { guardedToolPath, startLocalProcess, waitUntil, type LocalProcess } from './processes';
import { LOCAL_SQS_CREDENTIALS } from './sqs';

export function localSecretsManagerClient(endpoint: string): SecretsManagerClient {
  return new SecretsManagerClient({ region: 'us-east-1', endpoint, credentials: LOCAL_SQS_CREDENTIALS });
}

export interface LocalSecretsManager {
  endpoint: string;
  process: LocalProcess;
}

/** moto's Secrets Manager on 127.0.0.1:`port`, in memory, for tests of LWA_CLIENT_SECRET_ARN and SPAPI_SELLERS_SECRET_ARN. */
export async function startLocalSecretsManager(port: number, logFile: string): Promise<LocalSecretsManager> {
  const endpoint = `http://127.0.0.1:${port}`;
  const server = startLocalProcess(guardedToolPath('secretsmanager-server'), [String(port)], logFile, {
    stopGraceMs: 1000,
  });
  const client = localSecretsManagerClient(endpoint);
  try {
    await waitUntil(`Secrets Manager server on ${endpoint} (log: ${logFile})`, async () => {
      if (server.child.exitCode !== null) throw new Error(`exited with ${server.child.exitCode}`);
      await client.send(new ListSecretsCommand({}));
    });
  } catch (error) {
    await server.stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, process: server };
}
