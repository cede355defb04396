import type { Client } from '@temporalio/client';
import { connectClient, temporalSettings } from '../config/temporal';

/** Operator commands answer someone at a terminal: a server that does not answer is reported within seconds. */
const CONNECT_TIMEOUT = '5 seconds';

/** Runs `use` with a client of the configured namespace, and closes its connection afterwards. */
export async function withOperatorClient<T>(use: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectClient(temporalSettings(), { connectTimeout: CONNECT_TIMEOUT });
  try {
    return await use(client);
  } finally {
    await client.connection.close();
  }
}
