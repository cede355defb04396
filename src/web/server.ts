import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { SecretStore } from '../config/secret-store';
import { reauthorizationDue, sellersDueSoon } from '../credentials/authorization-expiry';
import { PHASES, type Phase } from '../domain/contract';
import { marketplace, type SpApiRegion } from '../domain/marketplaces';
import type { Logger } from '../logging';
import { countOrdersByPhase, ordersQuery, phaseCondition } from '../operator/visibility';
import { parseSellers } from '../spapi/from-env';
import type { SellerEntry } from '../spapi/sellers';
import { consentLink, type ConsentSettings } from './consent';
import { ConnectStates } from './connect-states';
import { OperatorAccess, SESSION_COOKIE } from './operator-access';
import { loginPage, messagePage, sellersPage, type SellerRow } from './page';
import { lastReconciliations } from './last-reconciliation';
import { storeSellerAuthorization } from './sellers-update';

const REGIONS: readonly SpApiRegion[] = ['na', 'eu', 'fe'];
const SELLER_ID = /^[A-Z0-9]{1,40}$/;
const MAX_FORM_BYTES = 4096;

export interface SellersWebOptions {
  host: string;
  port: number;
  /** WEB_PUBLIC_URL: the redirect URI is `<publicUrl>/connect/callback`. */
  publicUrl: string;
  /** WEB_TOKEN; none: the page is open (loopback only, which the caller has checked). */
  token?: string;
  /** The sellers store (SPAPI_SELLERS_FILE or SPAPI_SELLERS_SECRET_ARN); none with a single LWA_REFRESH_TOKEN. */
  sellersStore?: SecretStore;
  /** None without SPAPI_APPLICATION_ID: the page then lists sellers but cannot connect them. */
  consent?: ConsentSettings;
  client: Client;
  namespace: string;
  /** The deployment's task queue, whose reconciliations the page reads. */
  taskQueue: string;
  /** TEMPORAL_UI_URL: counts link to the Web UI's list when set. */
  temporalUiUrl?: string;
  /** The LWA code exchange; its errors never quote the code. */
  exchangeCode(code: string, redirectUri: string): Promise<{ refreshToken: string }>;
  /** Starts the seller's catch-up of the last 30 days, idempotently. */
  startCatchUp(sellerId: string, region: SpApiRegion): Promise<void>;
  logger: Logger;
  now?: () => Date;
}

export interface SellersWeb {
  url: string;
  close(): Promise<void>;
}

/**
 * `solicit web`: the Sellers page, rendered on the server (docs/spec.md, "Credential lifecycle"). Every
 * answer is `no-store` and sends no Referer, so that the callback's code cannot leak through a cache or a
 * link; the callback ends in a redirect to a clean URL.
 */
export async function startSellersWeb(options: SellersWebOptions): Promise<SellersWeb> {
  const access = new OperatorAccess(options.token);
  const now = options.now ?? (() => new Date());
  const states = new ConnectStates(() => now().getTime());
  const redirectUri = `${options.publicUrl.replace(/\/+$/, '')}/connect/callback`;
  const secureCookie = options.publicUrl.startsWith('https:');
  const reconciled = lastReconciliations(options.client, options.taskQueue);

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://page');
    if (url.pathname === '/login') {
      if (request.method === 'POST') return login(request, response);
      return html(response, 200, loginPage(false));
    }
    if (!access.allows(request)) {
      // A browser is sent to the form; a script is told plainly.
      if ((request.headers.accept ?? '').includes('text/html')) return redirect(response, '/login');
      return html(response, 401, messagePage('Not signed in', 'This page needs WEB_TOKEN.'));
    }
    if (request.method !== 'GET') return html(response, 405, messagePage('Not allowed', 'Only GET is served here.'));
    switch (url.pathname) {
      case '/':
        return html(response, 200, await listPage(url.searchParams.get('connected')));
      case '/connect':
        return connect(url, response);
      case '/connect/callback':
        return callback(url, response);
      default:
        return html(response, 404, messagePage('Not found', 'There is no such page.'));
    }
  }

  async function login(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(request));
    if (!access.matches(form.get('token') ?? '')) {
      options.logger.warn('Sellers page: sign-in refused');
      return html(response, 401, loginPage(true));
    }
    const cookie = [
      `${SESSION_COOKIE}=${access.startSession()}`,
      'HttpOnly',
      'SameSite=Lax',
      'Path=/',
      ...(secureCookie ? ['Secure'] : []),
    ].join('; ');
    response.setHeader('set-cookie', cookie);
    return redirect(response, '/');
  }

  function connect(url: URL, response: ServerResponse): void {
    const region = url.searchParams.get('region') as SpApiRegion | null;
    if (region === null || !REGIONS.includes(region)) {
      return html(response, 400, messagePage('Unknown region', 'Choose na, eu or fe.'));
    }
    if (options.consent === undefined || options.sellersStore === undefined) {
      return html(response, 400, messagePage('Cannot connect', cannotConnect() ?? ''));
    }
    return redirect(response, consentLink(options.consent, region, states.issue(region)));
  }

  async function callback(url: URL, response: ServerResponse): Promise<void> {
    const region = states.take(url.searchParams.get('state'));
    const sellerId = url.searchParams.get('selling_partner_id') ?? '';
    const code = url.searchParams.get('spapi_oauth_code');
    if (region === undefined) {
      options.logger.warn('Sellers page: a consent callback with an unknown, used or expired state was refused');
      return html(
        response,
        400,
        messagePage('Link expired', 'This authorization link is unknown, already used or expired. Connect again.'),
      );
    }
    if (!SELLER_ID.test(sellerId) || code === null || options.sellersStore === undefined) {
      return html(response, 400, messagePage('Cannot connect', 'Amazon sent back no seller or no code.'));
    }
    let refreshToken: string;
    try {
      ({ refreshToken } = await options.exchangeCode(code, redirectUri));
    } catch (error) {
      options.logger.error('Sellers page: the authorization code exchange failed', { sellerId, error });
      return html(response, 502, messagePage('Not connected', 'Amazon did not accept the authorization. Try again.'));
    }
    try {
      const { known } = await storeSellerAuthorization(options.sellersStore, sellerId, refreshToken, now());
      options.logger.info(known ? 'seller re-authorized' : 'seller connected', { sellerId, region });
    } catch (error) {
      options.logger.error('Sellers page: the seller could not be stored', { sellerId, error });
      return html(response, 500, messagePage('Not connected', 'The sellers store could not be written.'));
    }
    try {
      await options.startCatchUp(sellerId, region);
    } catch (error) {
      options.logger.error("Sellers page: the seller's catch-up did not start", { sellerId, error });
    }
    return redirect(response, `/?connected=${encodeURIComponent(sellerId)}`);
  }

  async function listPage(connected: string | null): Promise<string> {
    const at = now();
    const sellers = await readSellers();
    const last = await reconciled().catch((error: unknown) => {
      options.logger.warn('Sellers page: the last reconciliations could not be read', { error });
      return new Map<string, Date>();
    });
    const rows = await Promise.all(
      [...sellers].map(([sellerId, entry]) => sellerRow(sellerId, entry, at, last.get(sellerId))),
    );
    const blocker = cannotConnect();
    return sellersPage({
      sellers: rows,
      connectRegions: blocker === undefined ? REGIONS : [],
      ...(blocker !== undefined && { cannotConnect: blocker }),
      ...(connected !== null && SELLER_ID.test(connected) && { connected }),
      now: at,
    });
  }

  async function readSellers(): Promise<ReadonlyMap<string, SellerEntry>> {
    if (options.sellersStore === undefined) return new Map();
    try {
      return parseSellers(await options.sellersStore.read());
    } catch (error) {
      options.logger.error('Sellers page: the sellers store cannot be read', {
        variable: options.sellersStore.variable,
        reason: error instanceof Error ? error.message : 'unreadable',
      });
      return new Map();
    }
  }

  async function sellerRow(
    sellerId: string,
    entry: SellerEntry,
    at: Date,
    lastReconciliation: Date | undefined,
  ): Promise<SellerRow> {
    const due = reauthorizationDue(entry);
    const regions = entry.marketplaces?.map((id) => marketplace(id)?.region).filter((r) => r !== undefined);
    return {
      sellerId,
      regions: regions === undefined ? 'all' : [...new Set(regions)],
      marketplaces: entry.marketplaces ?? 'all',
      paused: entry.paused === true,
      ...(entry.authorizedAt !== undefined && { authorizedAt: new Date(entry.authorizedAt) }),
      ...(due !== undefined && { reauthorizationDue: due }),
      dueSoon: sellersDueSoon(new Map([[sellerId, entry]]), at).length > 0,
      orders: SELLER_ID.test(sellerId) ? await orderCounts(sellerId) : undefined,
      ...(lastReconciliation !== undefined && { lastReconciliation }),
    };
  }

  async function orderCounts(sellerId: string): Promise<SellerRow['orders']> {
    const seller = `AmazonSellerId = '${sellerId}'`;
    try {
      const counts = await countOrdersByPhase(options.client, seller);
      return Object.fromEntries(
        PHASES.map((phase) => [phase, { count: counts[phase], ...linkTo(phase, seller) }]),
      ) as Record<Phase, { count: number; link?: string }>;
    } catch (error) {
      options.logger.warn('Sellers page: orders could not be counted', { sellerId, error });
      return undefined;
    }
  }

  function linkTo(phase: Phase, seller: string): { link?: string } {
    if (options.temporalUiUrl === undefined) return {};
    const query = ordersQuery(phaseCondition(phase), seller);
    const base = options.temporalUiUrl.replace(/\/+$/, '');
    return {
      link: `${base}/namespaces/${encodeURIComponent(options.namespace)}/workflows?query=${encodeURIComponent(query)}`,
    };
  }

  function cannotConnect(): string | undefined {
    if (options.sellersStore === undefined) {
      return 'Connecting sellers needs a sellers store: SPAPI_SELLERS_FILE or SPAPI_SELLERS_SECRET_ARN.';
    }
    if (options.consent === undefined) return "Connecting sellers needs the app's ID in SPAPI_APPLICATION_ID.";
    return undefined;
  }

  const server: Server = createServer((request, response) => {
    response.setHeader('cache-control', 'no-store');
    response.setHeader('referrer-policy', 'no-referrer');
    response.setHeader('x-frame-options', 'DENY');
    response.setHeader('x-content-type-options', 'nosniff');
    route(request, response).catch((error: unknown) => {
      options.logger.error('Sellers page: request failed', {
        path: new URL(request.url ?? '/', 'http://page').pathname,
        error,
      });
      if (!response.headersSent) html(response, 500, messagePage('Error', 'Something went wrong; see the log.'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function html(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(body);
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(303, { location }).end();
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) {
    body += (chunk as Buffer).toString('utf8');
    if (body.length > MAX_FORM_BYTES) return '';
  }
  return body;
}
