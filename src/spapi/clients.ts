import type { Logger } from '../logging';
import type { SpApiResponseObserver } from '../domain/metrics';
import { ApplicationClient } from './application-client';
import { endpointResolver } from './endpoints';
import type { CredentialOwner } from './errors';
import { LwaTokenProvider } from './lwa';
import { NotificationsClient } from './notifications-client';
import { OrdersClient } from './orders-client';
import { SpApiTransport } from './request';
import type { SellerAuthorizations } from './sellers';
import { SolicitationsClient } from './solicitations-client';

/** Everything needed to call SP-API. Holds secrets: never log it. */
export interface SpApiConfig {
  lwaClientId: string;
  /** A function when read from LWA_CLIENT_SECRET_FILE: each token request takes the current secret. */
  lwaClientSecret: string | (() => string);
  lwaEndpoint: string;
  /** One base URL for every region (sandbox, simulator); Amazon's host per marketplace when absent. */
  spApiEndpoint?: string;
  sellers: SellerAuthorizations;
}

export interface SpApiClientOptions {
  logger?: Logger;
  fetch?: typeof fetch;
  /** Clock of the token cache, in milliseconds since the epoch. */
  now?: () => number;
  /** Per request; a call that takes longer is a transient error. */
  timeoutMs?: number;
  /** Told of every SP-API and LWA response (LWA's as operation `lwa`), e.g. to count them by status. */
  observeResponse?: SpApiResponseObserver;
  /** Told of every credential refusal Amazon answered, e.g. to count them per seller. */
  observeRefusal?: (owner: CredentialOwner) => void;
}

export interface SpApiClients {
  solicitations: SolicitationsClient;
  notifications: NotificationsClient;
  orders: OrdersClient;
  application: ApplicationClient;
  sellers: SellerAuthorizations;
  /** The shared token cache and credential circuit, e.g. to check each seller's authorization at start. */
  lwa: LwaTokenProvider;
}

/** The clients share one token cache, so that each grant is refreshed once for all of them. */
export function createSpApiClients(config: SpApiConfig, options: SpApiClientOptions = {}): SpApiClients {
  const lwa = new LwaTokenProvider({
    endpoint: config.lwaEndpoint,
    clientId: config.lwaClientId,
    clientSecret: config.lwaClientSecret,
    fetch: options.fetch,
    now: options.now,
    logger: options.logger,
    observeResponse: options.observeResponse,
    observeRefusal: options.observeRefusal,
  });
  const transport = new SpApiTransport({
    lwa,
    sellers: config.sellers,
    endpoints: endpointResolver({ override: config.spApiEndpoint }),
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    logger: options.logger,
    observeResponse: options.observeResponse,
    observeRefusal: options.observeRefusal,
  });
  return {
    solicitations: new SolicitationsClient(transport),
    notifications: new NotificationsClient(transport),
    orders: new OrdersClient(transport),
    application: new ApplicationClient(transport),
    sellers: config.sellers,
    lwa,
  };
}
