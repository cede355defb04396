import { temporal } from '@temporalio/proto';
import { ensureSearchAttributes } from '../../../src/temporal/search-attributes';

/** The refusal paths, which the dev server never takes: Temporal Cloud refuses AddSearchAttributes. */

const { IndexedValueType } = temporal.api.enums.v1;
const PERMISSION_DENIED = 7;

/** A gRPC error as the client surfaces it: status code, the server's words, metadata. */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

function operatorService(
  present: Record<string, number>,
  add: () => Promise<unknown> = () => Promise.resolve({}),
): Parameters<typeof ensureSearchAttributes>[0] {
  const service = {
    listSearchAttributes: () => Promise.resolve({ customAttributes: present }),
    addSearchAttributes: add,
  };
  return { operatorService: service as unknown as Parameters<typeof ensureSearchAttributes>[0]['operatorService'] };
}

it('prints exactly what to create when the server refuses to register them', async () => {
  const setup = await ensureSearchAttributes(
    operatorService({ SolicitationPhase: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD }, () =>
      Promise.reject(grpcError(PERMISSION_DENIED, 'Request unauthorized.')),
    ),
    'prod.a1b2c',
  );
  expect(setup.ok).toBe(false);
  expect(setup.message).toContain('the server refused to register them (Request unauthorized.)');
  expect(setup.message).toContain(
    'tcld namespace search-attributes add --namespace prod.a1b2c --search-attribute "SolicitAfter=Datetime" ' +
      '--search-attribute "SolicitBefore=Datetime" --search-attribute "AmazonMarketplaceId=Keyword" ' +
      '--search-attribute "AmazonSellerId=Keyword"',
  );
  expect(setup.message).toContain(
    'temporal operator search-attribute create --namespace prod.a1b2c --name SolicitAfter --type Datetime',
  );
  expect(setup.message).not.toContain('SolicitationPhase=Keyword');
});

it('reports an attribute of the wrong type, which no registration can fix', async () => {
  const setup = await ensureSearchAttributes(
    operatorService({ SolicitAfter: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD }, () => {
      throw new Error('must not register');
    }),
    'default',
  );
  expect(setup).toEqual({ ok: false, message: expect.stringContaining('SolicitAfter must be Datetime') });
});

it('lets a failure that is no refusal through', async () => {
  await expect(
    ensureSearchAttributes(
      operatorService({}, () => Promise.reject(grpcError(14, 'connection refused'))),
      'default',
    ),
  ).rejects.toThrow('connection refused');
});
