import { isGrpcServiceError } from '@temporalio/client';

/** The gRPC status codes the product tells apart. */
export const GrpcStatus = {
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Unimplemented: 12,
} as const;

/**
 * The gRPC error behind a client error: the client wraps some service errors in its own `ServiceError`,
 * whose `cause` holds the one with the status code and the server's words.
 */
export function grpcError(error: unknown): { code: number; details: string } | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (isGrpcServiceError(current)) return { code: current.code, details: current.details };
  }
  return undefined;
}
