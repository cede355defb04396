import { ServiceError } from '@temporalio/client';
import { GrpcStatus, grpcError, isRefusal, outageReason } from '../../src/grpc';

/** A gRPC error as the client surfaces it: status code, the server's words, metadata. */
function grpc(code: number, details = 'details'): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

describe('grpcError', () => {
  it('finds the gRPC error a ServiceError wraps, and one thrown as it is', () => {
    const refused = grpc(GrpcStatus.PermissionDenied, 'Request unauthorized.');
    expect(grpcError(new ServiceError('call failed', { cause: refused }))).toEqual({
      code: GrpcStatus.PermissionDenied,
      details: 'Request unauthorized.',
    });
    expect(grpcError(grpc(GrpcStatus.AlreadyExists))).toEqual({ code: GrpcStatus.AlreadyExists, details: 'details' });
  });

  it("takes the message for the server's words when a native connection leaves the details empty", () => {
    const native = Object.assign(new Error('Request unauthorized.'), { code: 7, details: '', metadata: {} });
    expect(grpcError(native)).toEqual({ code: 7, details: 'Request unauthorized.' });
  });

  it('is undefined without a gRPC error in the chain', () => {
    expect(grpcError(new Error('boom', { cause: new Error('deeper') }))).toBeUndefined();
    expect(grpcError(Object.assign(new Error('no details'), { code: 6 }))).toBeUndefined();
    expect(grpcError(undefined)).toBeUndefined();
  });
});

describe('status codes', () => {
  const outages = new Map<number, string>([
    [GrpcStatus.DeadlineExceeded, 'deadline exceeded'],
    [GrpcStatus.ResourceExhausted, 'resource exhausted'],
    [GrpcStatus.Unavailable, 'unavailable'],
    [GrpcStatus.Unauthenticated, 'unauthenticated'],
    [GrpcStatus.PermissionDenied, 'permission denied'],
    [GrpcStatus.Internal, 'internal'],
    [GrpcStatus.Unknown, 'unknown'],
  ]);
  const refusals: number[] = [
    GrpcStatus.PermissionDenied,
    GrpcStatus.Unimplemented,
    GrpcStatus.FailedPrecondition,
    GrpcStatus.InvalidArgument,
  ];

  it('tells outages (with their words) and refusals, and every other code is neither', () => {
    for (const code of Object.values(GrpcStatus)) {
      expect([code, outageReason(code), isRefusal(code)]).toEqual([code, outages.get(code), refusals.includes(code)]);
    }
    // Denied permission refuses one call (setup falls back) and, to ingest, every call alike (an outage).
    expect([...outages.keys()].filter(isRefusal)).toEqual([GrpcStatus.PermissionDenied]);
    expect(outageReason(GrpcStatus.NotFound)).toBeUndefined();
    expect(isRefusal(GrpcStatus.AlreadyExists)).toBe(false);
  });
});
