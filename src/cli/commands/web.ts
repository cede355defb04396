import { parseEnv } from '../../config/env';
import { settingsSchema } from '../../config/settings';
import { connectClient, temporalSettings } from '../../config/temporal';
import { createLogger } from '../../logging';
import { openSecrets } from '../../spapi/from-env';
import { sellersWebFromEnv, WEB_SETTINGS } from '../../web/from-env';
import { startSellersWeb } from '../../web/server';
import { stopSignal } from '../dev/stop-signal';
import { defineCommand } from '../command';
import { environment, TEMPORAL_CONNECTION } from '../environment';
import { EXIT_OK } from '../exit-codes';

const envSchema = settingsSchema('LOG_LEVEL');

export const command = defineCommand(
  {
    name: 'web',
    summary: 'serves the Sellers page at WEB_ADDRESS',
    description: `The Sellers page: each seller with its regions and marketplaces, paused flag, when it authorized the app
and when it must again, its orders per phase (links to the Temporal Web UI), and "Connect a seller"
through Amazon's consent page. The consent comes back to <WEB_PUBLIC_URL>/connect/callback, which must be
the app's registered redirect URI. On a loopback address the page is open; anywhere else it needs
WEB_TOKEN (a sign-in form, or Authorization: Bearer). SIGINT or SIGTERM: stop.`,
    options: {},
    environment: [
      ...environment(
        ...WEB_SETTINGS,
        'SPAPI_SELLERS_FILE',
        'SPAPI_SELLERS_SECRET_ARN',
        'LWA_CLIENT_ID',
        'LWA_CLIENT_SECRET',
        'LWA_CLIENT_SECRET_FILE',
        'LWA_CLIENT_SECRET_ARN',
        'LWA_ENDPOINT',
      ),
      ...TEMPORAL_CONNECTION,
      ...environment('LOG_LEVEL'),
    ],
  },
  async () => {
    const env = parseEnv(envSchema);
    const logger = createLogger(env.LOG_LEVEL);
    const temporal = temporalSettings();
    const secrets = await openSecrets(process.env, { logger });
    const client = await connectClient(temporal);
    const stopped = stopSignal();
    try {
      const options = sellersWebFromEnv(process.env, {
        client,
        namespace: temporal.namespace,
        taskQueue: temporal.taskQueue,
        logger,
        secrets,
      });
      const web = await startSellersWeb(options);
      logger.info('Sellers page served', {
        url: web.url,
        publicUrl: options.publicUrl,
        open: options.token === undefined,
      });
      await stopped;
      await web.close();
      return EXIT_OK;
    } finally {
      secrets.clientSecret?.close();
      secrets.sellers?.close();
      await client.connection.close();
    }
  },
);
