import { parseEnv } from '../../config/env';
import { settingsSchema } from '../../config/settings';
import { createLogger } from '../../logging';
import { createSpApiClients } from '../../spapi/clients';
import { APP_CREDENTIAL_SETTINGS, appCredentialsFromEnv, openSecrets } from '../../spapi/from-env';
import { liveSellers } from '../../spapi/sellers';
import { defineCommand } from '../command';
import { environment } from '../environment';
import { EXIT_OK } from '../exit-codes';

const envSchema = settingsSchema('LOG_LEVEL');

export const command = defineCommand(
  {
    name: 'rotate-secret',
    summary: 'asks Amazon for a new LWA client secret now',
    description: `Calls rotateApplicationClientSecret. Amazon answers with no secret: the new one arrives as an
APPLICATION_OAUTH_CLIENT_NEW_SECRET notification on the queue registered for application notifications in
the Developer Console, where 'solicit ingest' checks it and stores it (LWA_CLIENT_SECRET_FILE or
LWA_CLIENT_SECRET_ARN). The old secret keeps working for about 7 days.`,
    options: {},
    environment: environment(...APP_CREDENTIAL_SETTINGS, 'LOG_LEVEL'),
  },
  async () => {
    const env = parseEnv(envSchema);
    const logger = createLogger(env.LOG_LEVEL);
    const secrets = await openSecrets(process.env, { logger });
    try {
      const app = appCredentialsFromEnv(process.env, { logger, secrets });
      const { application } = createSpApiClients({ ...app, sellers: liveSellers(() => new Map()) }, { logger });
      await application.rotateApplicationClientSecret();
      process.stdout.write(
        'rotation requested: the new client secret arrives on the application notifications queue, where ingest stores it\n',
      );
      return EXIT_OK;
    } finally {
      secrets.clientSecret?.close();
      secrets.sellers?.close();
    }
  },
);
