import { startSpApiSimulator, type SpApiSimulator, type SpApiSimulatorOptions } from '../../src/simulator';
import type { SpApiClientOptions, SpApiClients } from '../../src/spapi/clients';
import { SpApiError } from '../../src/spapi/errors';
import { spApiClientsFromEnv } from '../../src/spapi/from-env';
import { liveSellers, type SellerAuthorizations, type SellerEntry } from '../../src/spapi/sellers';
import { manualClock } from './clock';

export const MARKETPLACE = 'ATVPDKIKX0DER';

/**
 * A simulator and the product's clients pointed at it through the environment, as a deployment would be,
 * on one manual clock.
 */
export async function simulatorWithClients(
  start = '2026-03-10T12:00:00Z',
  options: { simulator?: SpApiSimulatorOptions; clients?: SpApiClientOptions; env?: Record<string, string> } = {},
): Promise<{ sim: SpApiSimulator; clients: SpApiClients; clock: ReturnType<typeof manualClock> }> {
  const clock = manualClock(start);
  const sim = await startSpApiSimulator({ now: clock.now, ...options.simulator });
  const clients = spApiClientsFromEnv({ ...sim.env(), ...options.env }, { now: clock.nowMs, ...options.clients });
  return { sim, clients, clock };
}

/** Sellers as SPAPI_SELLERS_FILE lists them: a refresh token, or the object form. */
export function sellersOf(entries: Readonly<Record<string, string | SellerEntry>>): SellerAuthorizations {
  const sellers = new Map(
    Object.entries(entries).map(([id, entry]) => [id, typeof entry === 'string' ? { refreshToken: entry } : entry]),
  );
  return liveSellers(() => sellers);
}

/** The SpApiError the call rejects with; the test fails if it resolves or rejects with anything else. */
export async function spApiErrorOf(call: Promise<unknown>): Promise<SpApiError> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SpApiError);
  return error as SpApiError;
}
