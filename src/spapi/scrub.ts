/**
 * Node's `fetch` quotes what it refuses inside its own messages: an invalid header value (an access
 * token) and the credentials of a URL (`user:password@`). Every message of a failed request passes
 * through here before it becomes an error of this product, so that no secret reaches a log, a failure
 * message or an order's reason.
 */
const REDACTED = '[redacted]';

const INVALID_HEADER_VALUE = /"(?:[^"\\]|\\.)*"(\s+is an invalid header (?:value|name))/g;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;

/** `text` without the given secrets, header values fetch refused, or credentials of any URL. */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let scrubbed = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 4) continue;
    for (const form of new Set([secret, secret.trim(), encodeURIComponent(secret)])) {
      if (form.length >= 4) scrubbed = scrubbed.split(form).join(REDACTED);
    }
  }
  return scrubbed.replace(INVALID_HEADER_VALUE, `"${REDACTED}"$1`).replace(URL_CREDENTIALS, `$1${REDACTED}@`);
}

/**
 * Why a request got no answer, scrubbed, without its URL's query or headers. Duck-typed: fetch's errors
 * may come from another realm than this module's `Error`.
 */
export function networkReason(error: unknown, secrets: readonly (string | undefined)[] = []): string {
  const { name, message, cause } = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    message?: unknown;
    cause?: { code?: unknown };
  };
  if (name === 'TimeoutError') return 'timed out';
  if (typeof message !== 'string') return 'unknown network failure';
  const reason = typeof cause?.code === 'string' ? `${message} (${cause.code})` : message;
  return scrubSecrets(reason, secrets);
}
