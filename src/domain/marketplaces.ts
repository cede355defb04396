/**
 * Amazon's marketplaces the product knows (Amazon's "Marketplace IDs" and "SP-API Endpoints" pages): the
 * selling region whose SP-API host serves each, and the IANA time zone in which `SOLICIT_SEND_HOURS` are
 * read there. One table, so that a marketplace cannot have a region without a zone (src/spapi/endpoints.ts
 * derives its regions from it).
 *
 * A marketplace spanning several zones gets one, chosen so that hours such as 09:00-21:00 stay daytime for
 * most of its buyers: the United States use Central time (an hour behind for the East, where most buyers
 * live, two ahead for the West), Canada Eastern time (Ontario and Quebec), Mexico and Brazil their capital's
 * time, Australia Sydney's (New South Wales, Victoria and Queensland, most of the buyers), Spain the
 * mainland's (the Canary Islands are an hour behind).
 *
 * Safe inside the workflow sandbox: plain data.
 */

/** Amazon's selling regions, each with its own SP-API host. */
export type SpApiRegion = 'na' | 'eu' | 'fe';

export interface Marketplace {
  region: SpApiRegion;
  zone: string;
}

// Each region's marketplaces, with their zones.
const ZONES_BY_REGION: Readonly<Record<SpApiRegion, Readonly<Record<string, string>>>> = {
  na: {
    A2EUQ1WTGCTBG2: 'America/Toronto', // Canada
    ATVPDKIKX0DER: 'America/Chicago', // United States
    A1AM78C64UM0Y8: 'America/Mexico_City', // Mexico
    A2Q3Y263D00KWC: 'America/Sao_Paulo', // Brazil
  },
  eu: {
    A28R8C7NBKEWEA: 'Europe/Dublin', // Ireland
    A1RKKUPIHCS9HS: 'Europe/Madrid', // Spain
    A1F83G8C2ARO7P: 'Europe/London', // United Kingdom
    A13V1IB3VIYZZH: 'Europe/Paris', // France
    AMEN7PMS3EDWL: 'Europe/Brussels', // Belgium
    A1805IZSGTT6HS: 'Europe/Amsterdam', // Netherlands
    A1PA6795UKMFR9: 'Europe/Berlin', // Germany
    APJ6JRA9NG5V4: 'Europe/Rome', // Italy
    A2NODRKZP88ZB9: 'Europe/Stockholm', // Sweden
    AE08WJ6YKNBMC: 'Africa/Johannesburg', // South Africa
    A1C3SOZRARQ6R3: 'Europe/Warsaw', // Poland
    ARBP9OOSHTCHU: 'Africa/Cairo', // Egypt
    A33AVAJ2PDY3EV: 'Europe/Istanbul', // Turkey
    A17E79C6D8DWNP: 'Asia/Riyadh', // Saudi Arabia
    A2VIGQ35RCS4UG: 'Asia/Dubai', // United Arab Emirates
    A21TJRUUN4KGV: 'Asia/Kolkata', // India
  },
  fe: {
    A19VAU5U5O7RUS: 'Asia/Singapore', // Singapore
    A39IBJ37TRP1C6: 'Australia/Sydney', // Australia
    A1VC38T7YXB528: 'Asia/Tokyo', // Japan
  },
};

export const MARKETPLACES: Readonly<Record<string, Marketplace>> = Object.fromEntries(
  (Object.entries(ZONES_BY_REGION) as [SpApiRegion, Record<string, string>][]).flatMap(([region, zones]) =>
    Object.entries(zones).map(([id, zone]) => [id, { region, zone }]),
  ),
);

/** The marketplace of this ID; undefined for one the product does not know. */
export function marketplace(marketplaceId: string): Marketplace | undefined {
  return Object.hasOwn(MARKETPLACES, marketplaceId) ? MARKETPLACES[marketplaceId] : undefined;
}

/** The marketplace's zone; undefined for a marketplace the product does not know. */
export function marketplaceZone(marketplaceId: string): string | undefined {
  return marketplace(marketplaceId)?.zone;
}
