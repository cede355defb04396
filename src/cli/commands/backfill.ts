import { DEFAULT_BACKFILL_DAYS, runBackfill } from '../../backfill/backfill';
import { progressLine, sellerDoneLine, summaryJson, summaryText } from '../../backfill/report';
import { parseEnv } from '../../config/env';
import { marketplacesServedFromEnv, type MarketplacesServed } from '../../config/marketplaces';
import { policyFromEnv } from '../../config/policy';
import { settingsSchema } from '../../config/settings';
import { connectClient, temporalSettings } from '../../config/temporal';
import { startOrder } from '../../orders/start';
import { createLogger } from '../../logging';
import { spApiClientsFromEnv } from '../../spapi/from-env';
import type { SellerAuthorizations } from '../../spapi/sellers';
import { defineCommand } from '../command';
import { environment, POLICY, SP_API_CREDENTIALS, TEMPORAL_CONNECTION } from '../environment';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes';
import { DEFAULT_REGION, marketplaceScope } from '../marketplace-scope';
import { terminalLine } from '../terminal-line';
import { UsageError } from '../../errors';

const envSchema = settingsSchema('LOG_LEVEL');

export const command = defineCommand(
  {
    name: 'backfill',
    summary: 'starts workflows for orders already shipped (Orders API searchOrders), idempotently',
    description: `Starts the workflow of every order shipped before ingest was running: pages through Orders API
searchOrders for orders in status SHIPPED updated in the last N days, and feeds each one through the
same start path as ingest. Running it again starts nothing new: an order that has a workflow, running or
closed, is counted as already known. Ends with a summary: found, started, already known, skipped.
A seller Amazon refuses (revoked authorization) is reported and the others go on; the exit code is then 1.`,
    options: {
      days: {
        type: 'string',
        value: 'N',
        default: String(DEFAULT_BACKFILL_DAYS),
        description: 'orders updated in the last N days',
      },
      marketplace: {
        type: 'string',
        multiple: true,
        value: 'ID',
        description: `only this marketplace; repeat for several, all of one region. Without it: all of the
seller's marketplaces in the region. A marketplace not served is refused`,
      },
      region: {
        type: 'string',
        value: 'na|eu|fe',
        // No parsed default: without --region the marketplaces given say the region.
        description: `the selling region to ask without --marketplace (default ${DEFAULT_REGION})`,
      },
      seller: {
        type: 'string',
        value: 'ID',
        description: `the seller whose orders to start. Required with LWA_REFRESH_TOKEN: a refresh token and
Amazon's order data do not name the seller, and each workflow records it (Seller
Central, Settings, Account Info, Merchant Token). With SPAPI_SELLERS_FILE: one seller of
the file; without it, every seller of the file in turn`,
      },
      json: { type: 'boolean', description: 'print the summary as JSON' },
    },
    notes: [
      `Pace: searchOrders allows a burst of 20 pages (100 orders each), then one page every three minutes per
seller. Backfill keeps to that pace, waits out a 429 for as long as Amazon's rate says, and retries a
5xx a few times. On a terminal, one line shows progress; otherwise a line per seller on stderr.`,
      `Orders: the delivery window comes from the order (seller-fulfilled orders only) and the ship time from
its packages. Amazon-fulfilled orders have neither: the workflow estimates the window from the order's
creation time standing in for its ship time, so the estimate never opens after Amazon's window does, and
re-checks until Amazon offers the request. Skipped, with the reason in the summary: orders whose window
has closed, orders of other sales channels, orders naming no marketplace or fulfilment channel, orders of
a marketplace not served (SOLICIT_MARKETPLACES, or the seller's "marketplaces" in SPAPI_SELLERS_FILE).`,
    ],
    environment: [
      ...SP_API_CREDENTIALS,
      ...environment('SOLICIT_MARKETPLACES'),
      ...TEMPORAL_CONNECTION,
      ...environment('TASK_QUEUE', 'LOG_LEVEL'),
      ...POLICY,
    ],
  },
  async ({ options }) => {
    const days = daysOption(options.days);
    const { region, marketplaceIds } = marketplaceScope(options.marketplace, options.region);
    const env = parseEnv(envSchema);
    const policy = policyFromEnv();
    const temporal = temporalSettings();
    const logger = createLogger(env.LOG_LEVEL);
    const { orders, sellers } = spApiClientsFromEnv(process.env, { logger });
    const sellerIds = sellersToBackfill(sellers, options.seller);
    const marketplaces = marketplacesServedFromEnv(sellers);
    refuseMarketplacesNotServed(marketplaceIds, sellerIds, marketplaces);

    const client = await connectClient(temporal);
    const progress = process.stderr.isTTY ? terminalLine(process.stderr) : undefined;
    try {
      const summary = await runBackfill({
        orders,
        start: (input) => startOrder(client, temporal.taskQueue, input),
        sellerIds,
        region,
        marketplaceIds,
        days,
        policy,
        marketplaces,
        onProgress: progress && ((state) => progress.show(progressLine(state), state.waiting !== undefined)),
        // Without a terminal to update a line on (a log, a pipe): a line per seller once it is done.
        ...(!progress &&
          !options.json && { onSellerDone: (seller) => process.stderr.write(`${sellerDoneLine(seller)}\n`) }),
      });
      progress?.clear();
      const text = options.json ? JSON.stringify(summaryJson(summary), null, 2) : summaryText(summary);
      process.stdout.write(`${text}\n`);
      return summary.failedSellers.length === 0 ? EXIT_OK : EXIT_FAILURE;
    } finally {
      progress?.clear();
      await client.connection.close();
    }
  },
);

function daysOption(value: string): number {
  const days = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(days) || days < 1) {
    throw new UsageError(`--days must be a whole number of days, at least 1, got '${value}'`);
  }
  return days;
}

function sellersToBackfill(sellers: SellerAuthorizations, seller: string | undefined): readonly string[] {
  if (sellers.sellerIds === undefined) {
    if (seller === undefined) {
      throw new UsageError(
        "--seller is required with LWA_REFRESH_TOKEN: Amazon's order data does not name the seller (see --help)",
      );
    }
    return [seller];
  }
  if (seller === undefined) return sellers.sellerIds;
  if (!sellers.has(seller)) throw new UsageError(`--seller ${seller} is not in SPAPI_SELLERS_FILE`);
  return [seller];
}

/** Asking for a marketplace that no seller backfilled is served in could only skip every order found. */
function refuseMarketplacesNotServed(
  marketplaceIds: readonly string[],
  sellerIds: readonly string[],
  marketplaces: MarketplacesServed,
): void {
  const refused = marketplaceIds.find((id) => !sellerIds.some((sellerId) => marketplaces.serves(sellerId, id)));
  if (refused === undefined) return;
  const where =
    marketplaces.setting === 'SOLICIT_MARKETPLACES'
      ? 'SOLICIT_MARKETPLACES'
      : `the "marketplaces" of ${sellerIds.length === 1 ? `seller ${sellerIds[0]}` : 'every seller'} in SPAPI_SELLERS_FILE`;
  throw new UsageError(`--marketplace ${refused} is not a marketplace served (see ${where})`);
}
