import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { LiveSecret } from '../../src/config/live-secret';
import { secretsManagerStore } from '../../src/config/secret-store';
import { localSecretsManagerClient } from '../../src/local/secrets-manager';
import { LOCAL_SQS_CREDENTIALS } from '../../src/local/sqs';
import { openSecrets, spApiConfigFromEnv } from '../../src/spapi/from-env';
import { runServers } from '../setup/servers';

const { secretsManagerEndpoint } = runServers();
const awsEnv = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: LOCAL_SQS_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_SQS_CREDENTIALS.secretAccessKey,
  AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManagerEndpoint,
};
const saved = { ...process.env };
beforeAll(() => Object.assign(process.env, awsEnv));
afterAll(() => {
  process.env = saved;
});

async function createSecret(name: string, value: string): Promise<string> {
  const client = localSecretsManagerClient(secretsManagerEndpoint);
  try {
    const { ARN } = await client.send(new CreateSecretCommand({ Name: `${name}-${process.pid}`, SecretString: value }));
    return ARN!;
  } finally {
    client.destroy();
  }
}

describe('Secrets Manager as a secret store (moto)', () => {
  it('reads the client secret and the sellers JSON named by their ARNs, through the SDK chain', async () => {
    const clientSecretArn = await createSecret('client-secret', 'SECRET-client-from-sm\n');
    const sellersArn = await createSecret(
      'sellers',
      JSON.stringify({ A1SELLER: { refreshToken: 'Atzr|one', authorizedAt: '2026-01-02T03:04:05Z' } }),
    );
    const env = {
      ...awsEnv,
      LWA_CLIENT_ID: 'amzn1.application-oa2-client.test',
      LWA_CLIENT_SECRET_ARN: clientSecretArn,
      SPAPI_SELLERS_SECRET_ARN: sellersArn,
    };
    const secrets = await openSecrets(env);
    const config = spApiConfigFromEnv(env, { secrets });
    expect((config.lwaClientSecret as () => string)()).toBe('SECRET-client-from-sm');
    expect(config.sellers.sellerIds).toEqual(['A1SELLER']);
    expect(config.sellers.entries()?.get('A1SELLER')?.authorizedAt).toBe('2026-01-02T03:04:05Z');
    secrets.clientSecret?.close();
    secrets.sellers?.close();
  });

  it('a written value becomes the current version, and a live reader takes it on its next look', async () => {
    const arn = await createSecret('rotated', 'SECRET-old');
    const store = secretsManagerStore('LWA_CLIENT_SECRET_ARN', arn);
    const live = await LiveSecret.open({ store, parse: (text) => text.trim(), checkEveryMs: 60_000 });
    expect(live.current).toBe('SECRET-old');
    await store.write('SECRET-new');
    expect(await store.read()).toBe('SECRET-new');
    await live.refresh();
    expect(live.current).toBe('SECRET-new');
    live.close();
    store.destroy();
  });

  it('a secret that does not exist stops the process with one line naming the variable', async () => {
    const env = { ...awsEnv, LWA_CLIENT_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:missing' };
    await expect(openSecrets(env)).rejects.toThrow(
      'LWA_CLIENT_SECRET_ARN: cannot read arn:aws:secretsmanager:us-east-1:000000000000:secret:missing (ResourceNotFoundException)',
    );
  });
});
