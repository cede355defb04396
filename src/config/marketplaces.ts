import { z } from 'zod';
import { MARKETPLACE_REGIONS } from '../spapi/endpoints';
import { parseEnv, type Env } from './env';

/**
 * SOLICIT_MARKETPLACES (single-token mode): the marketplace IDs served, comma-separated. Notifications for
 * other marketplaces are ignored, and backfill and reconciliation skip their orders ("marketplace not
 * served"). Unset: every marketplace.
 */
const marketplacesSchema = z.object({
  SOLICIT_MARKETPLACES: z
    .string()
    .transform((value, context) => {
      const ids = value.split(',').map((id) => id.trim());
      const unknown = ids.find((id) => !Object.hasOwn(MARKETPLACE_REGIONS, id));
      if (unknown !== undefined) {
        context.addIssue({
          code: 'custom',
          message:
            unknown === ''
              ? 'must be marketplace IDs separated by commas, such as ATVPDKIKX0DER,A2EUQ1WTGCTBG2'
              : `'${unknown}' is not one of Amazon's marketplace IDs`,
        });
        return z.NEVER;
      }
      return [...new Set(ids)];
    })
    .optional(),
});

/** The marketplaces served; undefined when every marketplace is. Throws ConfigError naming the variable. */
export function servedMarketplacesFromEnv(env: Env = process.env): readonly string[] | undefined {
  return parseEnv(marketplacesSchema, env).SOLICIT_MARKETPLACES;
}

/** Whether an order of `marketplaceId` is served; `served` undefined means every marketplace is. */
export function servesMarketplace(served: readonly string[] | undefined, marketplaceId: string): boolean {
  return served === undefined || served.includes(marketplaceId);
}
