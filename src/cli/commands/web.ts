import { z } from 'zod';
import { logLevelSetting, parseEnv } from '../../config/env';
import { connectClient, temporalSettings } from '../../config/temporal';
import { createLogger } from '../../logging';
import { openSecrets } from '../../spapi/from-env';
import { sellersWebFromEnv } from '../../web/from-env';
import { startSellersWeb } from '../../web/server';
import { stopSignal } from '../dev/stop-signal';
import { defineCommand } from '../command';
import { LOG_LEVEL, LWA_CLIENT, SPAPI_ENDPOINTS, TEMPORAL_CONNECTION } from '../environment';
import { EXIT_OK } from '../exit-codes';

const envSchema = z.object({ LOG_LEVEL: logLevelSetting });

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
      ['WEB_ADDRESS', 'host:port to listen on (default 127.0.0.1:8300)'],
      ['WEB_PUBLIC_URL', 'the public URL behind a reverse proxy (default http://<WEB_ADDRESS>)'],
      ['WEB_TOKEN', 'the operator token; required unless WEB_ADDRESS is a loopback address'],
      ['TEMPORAL_UI_URL', "the Temporal Web UI's base URL, for the counts' links"],
      ['SPAPI_APPLICATION_ID', "the app's ID (amzn1.sp.solution.…), needed to connect sellers"],
      ['SPAPI_CONSENT_URL', "the consent page's base URL instead of each region's Seller Central"],
      ['SPAPI_AUTHORIZE_BETA', 'true while the app is a draft (version=beta)'],
      ['SPAPI_SELLERS_FILE, SPAPI_SELLERS_SECRET_ARN', 'the sellers store the page lists and writes'],
      LWA_CLIENT,
      ['LWA_CLIENT_SECRET_FILE, LWA_CLIENT_SECRET_ARN', 'where the client secret is kept instead'],
      SPAPI_ENDPOINTS,
      TEMPORAL_CONNECTION,
      LOG_LEVEL,
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
