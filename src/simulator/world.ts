import type { SpApiRegion } from '../domain/marketplaces';
import type { SimResponse } from './amazon-errors';
import type { RecordedSolicitation, SimulatedDestination, SimulatedOrder, SimulatedSubscription } from './state';

/** Everything the simulated SP-API knows, shared by the operations. */
export interface World {
  orders: Map<string, SimulatedOrder>;
  /** Seller ID -> the selling regions where it sells; a seller absent here sells in every region. */
  sellerRegions: Map<string, ReadonlySet<SpApiRegion>>;
  solicitations: RecordedSolicitation[];
  /** IDs of the orders in `solicitations`. */
  solicited: Set<string>;
  revokedOrders: Set<string>;
  /** Order ID -> how many more times an eligible order is answered with no action. */
  emptyActions: Map<string, number>;
  destinations: Map<string, SimulatedDestination>;
  /** `${sellerId} ${notificationType}` -> subscription */
  subscriptions: Map<string, SimulatedSubscription>;
  applicationId: string;
  /** rotateApplicationClientSecret, answered by the simulated application (./application.ts). */
  rotateClientSecret(): SimResponse;
}

/** One authenticated SP-API request, as an operation sees it. */
export interface OperationRequest {
  now: Date;
  /** The seller the access token speaks for; absent for grantless operations. */
  sellerId?: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export function createWorld(applicationId: string, rotateClientSecret: () => SimResponse): World {
  return {
    orders: new Map(),
    sellerRegions: new Map(),
    solicitations: [],
    solicited: new Set(),
    revokedOrders: new Set(),
    emptyActions: new Map(),
    destinations: new Map(),
    subscriptions: new Map(),
    applicationId,
    rotateClientSecret,
  };
}
