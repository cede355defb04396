import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { LocalServerKind } from './processes';
import { LOCAL_SQS_CREDENTIALS } from './sqs';

export function localSecretsManagerClient(endpoint: string): SecretsManagerClient {
  return new SecretsManagerClient({ region: 'us-east-1', endpoint, credentials: LOCAL_SQS_CREDENTIALS });
}

/** moto's Secrets Manager, in memory, for tests of LWA_CLIENT_SECRET_ARN and SPAPI_SELLERS_SECRET_ARN. */
export const LOCAL_SECRETS_MANAGER: LocalServerKind<SecretsManagerClient> = {
  tool: 'secretsmanager-server',
  what: 'Secrets Manager server',
  client: localSecretsManagerClient,
  ping: (client) => client.send(new ListSecretsCommand({})),
};
