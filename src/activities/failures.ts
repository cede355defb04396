import { ApplicationFailure } from '@temporalio/common';
import { FailureType, NON_RETRYABLE_FAILURE_TYPES } from '../domain/contract';
import { SpApiError, type SpApiErrorKind } from '../spapi/errors';

const TYPE_OF_KIND: Record<SpApiErrorKind, FailureType> = {
  throttled: FailureType.Throttled,
  transient: FailureType.Transient,
  'already-solicited': FailureType.AlreadySolicited,
  'outside-window': FailureType.OutsideWindow,
  unauthorized: FailureType.Unauthorized,
  'credential-refused': FailureType.CredentialRefused,
  'seller-not-configured': FailureType.SellerNotConfigured,
  'seller-paused': FailureType.SellerPaused,
  'invalid-input': FailureType.InvalidInput,
  // Only the Notifications API answers 409, and only reconciliation reads a region: no activity here meets them.
  conflict: FailureType.InvalidInput,
  'region-refused': FailureType.InvalidInput,
};

/**
 * The one place where an SP-API failure becomes a Temporal failure: its type tells the retry policy
 * whether to try again and the workflow which outcome it means. Anything that is not an `SpApiError` is
 * unexpected, so it is retried as transient rather than ending an order that may still be solicited.
 */
export function toApplicationFailure(error: unknown): ApplicationFailure {
  if (!(error instanceof SpApiError)) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return ApplicationFailure.create({ type: FailureType.Transient, message, nonRetryable: false });
  }
  const type = TYPE_OF_KIND[error.kind];
  return ApplicationFailure.create({
    type,
    message: error.message,
    nonRetryable: NON_RETRYABLE_FAILURE_TYPES.includes(type),
    nextRetryDelay: error.kind === 'throttled' ? error.details.retryAfterMs : undefined,
    // Whose credential, for the workflow's words and `solicit stats`; never a secret.
    details: error.details.credential
      ? [{ credential: error.details.credential, code: error.details.code }]
      : undefined,
  });
}
