import { isGrpcServiceError } from '@temporalio/client';
import { causes } from './errors';

/** The gRPC status codes the product tells apart, as the protocol numbers them. */
export const GrpcStatus = {
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  Unauthenticated: 16,
} as const;

/**
 * Codes that say the server takes no call of ours now, whatever the call asked, in the words a log line
 * gives them: unreachable or overloaded, and refusing us (a revoked API key or role, a server fault), which no
 * message can cause or cure.
 */
const OUTAGES: ReadonlyMap<number, string> = new Map([
  [GrpcStatus.DeadlineExceeded, 'deadline exceeded'],
  [GrpcStatus.ResourceExhausted, 'resource exhausted'],
  [GrpcStatus.Unavailable, 'unavailable'],
  [GrpcStatus.Unauthenticated, 'unauthenticated'],
  [GrpcStatus.PermissionDenied, 'permission denied'],
  [GrpcStatus.Internal, 'internal'],
  [GrpcStatus.Unknown, 'unknown'],
]);

/** Codes of a server that will not do what was asked for this caller: not allowed, not offered, or not taken as sent. */
const REFUSALS: ReadonlySet<number> = new Set([
  GrpcStatus.PermissionDenied,
  GrpcStatus.Unimplemented,
  GrpcStatus.FailedPrecondition,
  GrpcStatus.InvalidArgument,
]);

/** Why the server takes no call now (unreachable, too slow, refusing the credentials or the role, failing), or undefined. */
export function outageReason(code: number): string | undefined {
  return OUTAGES.get(code);
}

export function isRefusal(code: number): boolean {
  return REFUSALS.has(code);
}

/**
 * The gRPC error behind a client error: the client wraps some service errors in its own `ServiceError`,
 * whose `cause` holds the one with the status code and the server's words. A worker's native connection
 * leaves `details` empty and gives the server's words as the message.
 */
export function grpcError(error: unknown): { code: number; details: string } | undefined {
  for (const cause of causes(error)) {
    if (isGrpcServiceError(cause)) return { code: cause.code, details: cause.details || cause.message };
  }
  return undefined;
}
