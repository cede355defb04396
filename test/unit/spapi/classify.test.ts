import { classifyFailure } from '../../../src/spapi/classify';
import { retryAfterMs } from '../../../src/spapi/usage-plans';

const body = (code: string, message: string, details?: string) =>
  JSON.stringify({ errors: [{ code, message, ...(details !== undefined && { details }) }] });

const row = (what: string, status: number, text: string, kind: string) => ({ what, status, text, kind });

describe('classifyFailure', () => {
  it.each([
    row(
      'a second send for the order',
      403,
      body('Unauthorized', 'The requested solicitation is not available for this amazonOrderId.', ''),
      'already-solicited',
    ),
    row(
      'a send outside the window',
      403,
      body(
        'Unauthorized',
        'You can\u2019t use this feature to request a review outside the 5-30 day range after the order delivery date.',
        '',
      ),
      'outside-window',
    ),
    row(
      'a send outside the window, apostrophe mis-encoded as reported',
      403,
      body(
        'Unauthorized',
        'You can\u00e2\u20ac\u2122t use this feature to request a review outside the 5-30 day range after the order delivery date.',
      ),
      'outside-window',
    ),
    row('access denied', 403, body('Unauthorized', 'Access to requested resource is denied.', ''), 'unauthorized'),
    row(
      'an expired token',
      403,
      body('Unauthorized', 'The security token included in the request is expired'),
      'unauthorized',
    ),
    row(
      'a revoked token',
      403,
      body(
        'Unauthorized',
        'Access to requested resource is denied.',
        'The access token you provided is revoked, malformed or invalid.',
      ),
      'unauthorized',
    ),
    row('a 403 without an Amazon body', 403, '<html>Forbidden</html>', 'unauthorized'),
    row(
      'missing parameters',
      400,
      body('InvalidInput', 'Missing or invalid request parameters: [marketplaceIds]', ''),
      'invalid-input',
    ),
    row('an unknown order', 404, body('NotFound', 'The resource specified does not exist.'), 'invalid-input'),
    row('a body too large', 413, body('RequestEntityTooLarge', 'Request too large'), 'invalid-input'),
    row(
      'a destination that exists',
      409,
      body('Conflict', 'The requested resource conflict with a resource in the server.', 'A destination ...'),
      'conflict',
    ),
    row(
      'throttling',
      429,
      body('QuotaExceeded', 'You exceeded your quota for the requested resource.', ''),
      'throttled',
    ),
    row(
      'an internal failure',
      500,
      body('InternalFailure', 'We encountered an internal error. Please try again.'),
      'transient',
    ),
    row(
      'maintenance',
      503,
      body('ServiceUnavailable', 'Temporary overloading or maintenance of the server.'),
      'transient',
    ),
    row('a gateway page', 502, '<html>Bad Gateway</html>', 'transient'),
    row('a request timeout', 408, '', 'transient'),
  ])('$what (HTTP $status) is $kind', ({ status, text, kind }) => {
    const error = classifyFailure('someOperation', { status, rateLimitLimit: null, body: text });
    expect(error.kind).toBe(kind);
    expect(error.details.status).toBe(status);
    expect(error.message).toMatch(/^someOperation: HTTP \d{3}: /);
  });

  it("names Amazon's code, message and details, and never quotes a body it cannot read", () => {
    const error = classifyFailure('getSolicitationActionsForOrder', {
      status: 400,
      rateLimitLimit: null,
      body: body('InvalidInput', 'Missing or invalid request parameters: [marketplaceIds]', 'why'),
    });
    expect(error.message).toBe(
      'getSolicitationActionsForOrder: HTTP 400: InvalidInput: Missing or invalid request parameters: [marketplaceIds] (why)',
    );
    expect(error.details.code).toBe('InvalidInput');

    const page = classifyFailure('searchOrders', {
      status: 502,
      rateLimitLimit: null,
      body: 'x-amz-access-token: Atza|abc',
    });
    expect(page.message).not.toContain('Atza');
  });

  it('gives a 429 the delay until one request is allowed again at the announced rate', () => {
    const at = (operation: string, header: string | null) =>
      classifyFailure(operation, { status: 429, rateLimitLimit: header, body: '' }).details.retryAfterMs;
    expect(at('getSolicitationActionsForOrder', '2.0')).toBe(500);
    expect(at('getSolicitationActionsForOrder', '0.5')).toBe(2000);
    // Without the header, the operation's default usage plan.
    expect(at('getSolicitationActionsForOrder', null)).toBe(1000);
    expect(at('searchOrders', null)).toBe(Math.ceil(1000 / 0.0056));
  });
});

describe('retryAfterMs', () => {
  it.each([['0'], ['-1'], ['fast'], [''], ['Infinity']])('ignores an unusable header %p', (header) => {
    expect(retryAfterMs('createProductReviewAndSellerFeedbackSolicitation', header)).toBe(1000);
  });

  it('falls back to one second for an operation without a known plan', () => {
    expect(retryAfterMs('unknownOperation', undefined)).toBe(1000);
  });
});
