import type { SpApiRegion } from '../domain/marketplaces';

/** Seller Central of each selling region, where Amazon's consent page lives (Japan's for the Far East). */
export const SELLER_CENTRAL: Readonly<Record<SpApiRegion, string>> = {
  na: 'https://sellercentral.amazon.com',
  eu: 'https://sellercentral-europe.amazon.com',
  fe: 'https://sellercentral.amazon.co.jp',
};

export interface ConsentSettings {
  /** SPAPI_APPLICATION_ID. */
  applicationId: string;
  /** SPAPI_CONSENT_URL: one base URL instead of each region's Seller Central. */
  consentUrl?: string;
  /** SPAPI_AUTHORIZE_BETA: the app is still a draft. */
  beta: boolean;
}

/** `<consent URL>/apps/authorize/consent?application_id=…&state=…[&version=beta]`. */
export function consentLink(settings: ConsentSettings, region: SpApiRegion, state: string): string {
  const base = (settings.consentUrl ?? SELLER_CENTRAL[region]).replace(/\/+$/, '');
  const url = new URL(`${base}/apps/authorize/consent`);
  url.searchParams.set('application_id', settings.applicationId);
  url.searchParams.set('state', state);
  if (settings.beta) url.searchParams.set('version', 'beta');
  return url.toString();
}
