import { SpApiError } from './errors';
import { amazonErrorsSchema, type AmazonError } from './schemas';
import { retryAfterMs } from './usage-plans';

/** Amazon's answer to a second send for one order (403, code `Unauthorized`). */
export const ALREADY_SOLICITED_MESSAGE = 'The requested solicitation is not available for this amazonOrderId.';

/**
 * Amazon answers a send outside its window with 403 `Unauthorized` and the message "You can’t use this
 * feature to request a review outside the 5-30 day range after the order delivery date." (reported in
 * amzn/selling-partner-api-docs#121; the apostrophe has arrived mis-encoded). `getSolicitationActionsForOrder`
 * never fails for it: outside the window it offers no action. So the kind comes from a send's message,
 * matched on its stable part; any status carrying it is read the same way.
 */
const OUTSIDE_WINDOW = /outside the 5-30 day range/i;

const MAX_MESSAGE_LENGTH = 500;

export interface FailedResponse {
  status: number;
  /** `x-amzn-RateLimit-Limit`, when Amazon sent it. */
  rateLimitLimit: string | null;
  body: string;
}

/**
 * Classifies an SP-API response that is not a success. A 403 that is neither of the two Solicitations
 * answers comes back `unauthorized`: the caller refreshes the access token once before believing it
 * (Amazon uses 403 for an expired or revoked token as well as for a missing role).
 */
export function classifyFailure(operation: string, response: FailedResponse): SpApiError {
  const { status } = response;
  const errors = parseAmazonErrors(response.body);
  const said = errors ? describe(errors) : "a body that is not Amazon's error format";
  const message = `HTTP ${status}: ${said}`.slice(0, MAX_MESSAGE_LENGTH);
  const details = { status, code: errors?.[0]?.code };
  const texts = errors?.map((error) => `${error.message} ${error.details ?? ''}`) ?? [];

  if (status === 429) {
    return new SpApiError('throttled', operation, message, {
      ...details,
      retryAfterMs: retryAfterMs(operation, response.rateLimitLimit),
    });
  }
  if (status >= 500 || status === 408) return new SpApiError('transient', operation, message, details);
  if (texts.some((text) => text.includes(ALREADY_SOLICITED_MESSAGE))) {
    return new SpApiError('already-solicited', operation, message, details);
  }
  if (texts.some((text) => OUTSIDE_WINDOW.test(text))) {
    return new SpApiError('outside-window', operation, message, details);
  }
  if (status === 401 || status === 403) return new SpApiError('unauthorized', operation, message, details);
  if (status === 409) return new SpApiError('conflict', operation, message, details);
  if (status >= 400) return new SpApiError('invalid-input', operation, message, details);
  return new SpApiError('transient', operation, `unexpected ${message}`, details);
}

export function parseAmazonErrors(body: string): AmazonError[] | undefined {
  try {
    const parsed = amazonErrorsSchema.safeParse(JSON.parse(body));
    return parsed.success && parsed.data.errors.length > 0 ? parsed.data.errors : undefined;
  } catch {
    return undefined;
  }
}

function describe(errors: AmazonError[]): string {
  return errors.map(({ code, message, details }) => `${code}: ${message}${details ? ` (${details})` : ''}`).join('; ');
}
