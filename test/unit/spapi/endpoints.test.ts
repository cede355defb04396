import {
  endpointResolver,
  marketplaceRegion,
  MARKETPLACE_REGIONS,
  regionOf,
  type SpApiRegion,
} from '../../../src/spapi/endpoints';

describe('endpoints by marketplace', () => {
  it("maps every marketplace of Amazon's three selling regions", () => {
    const byRegion = (region: SpApiRegion) =>
      Object.entries(MARKETPLACE_REGIONS)
        .filter(([, of]) => of === region)
        .map(([id]) => id)
        .sort();
    expect(byRegion('na')).toEqual(['A1AM78C64UM0Y8', 'A2EUQ1WTGCTBG2', 'A2Q3Y263D00KWC', 'ATVPDKIKX0DER']);
    expect(byRegion('fe')).toEqual(['A19VAU5U5O7RUS', 'A1VC38T7YXB528', 'A39IBJ37TRP1C6']);
    expect(byRegion('eu')).toHaveLength(16);
    expect(regionOf('A21TJRUUN4KGV')).toBe('eu'); // India is served from Europe
  });

  it('sends each region to its production or sandbox host, or everything to SPAPI_ENDPOINT', () => {
    const production = endpointResolver();
    expect(production(marketplaceRegion('A1F83G8C2ARO7P', 'op'))).toBe('https://sellingpartnerapi-eu.amazon.com');
    expect(production('fe')).toBe('https://sellingpartnerapi-fe.amazon.com');
    expect(endpointResolver({ sandbox: true })('na')).toBe('https://sandbox.sellingpartnerapi-na.amazon.com');
    const local = endpointResolver({ override: 'http://127.0.0.1:8080/' });
    expect(['na', 'eu', 'fe'].map((region) => local(region as SpApiRegion))).toEqual(
      Array(3).fill('http://127.0.0.1:8080'),
    );
  });

  it('refuses a marketplace it does not know as invalid input', () => {
    expect(regionOf('toString')).toBeUndefined();
    let thrown: unknown;
    try {
      marketplaceRegion('XXXXXXXX', 'searchOrders');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ kind: 'invalid-input', message: 'searchOrders: unknown marketplace ID XXXXXXXX' });
  });
});
