/**
 * Amazon's error answers, word for word as sellers have reported them (or, where no report exists, in the
 * words of the models' response descriptions). The simulator keeps its own copies rather than importing
 * the client's, so that a client reading the wrong text fails against it.
 */
export interface AmazonErrorBody {
  errors: { code: string; message: string; details?: string }[];
}

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

function error(status: number, code: string, message: string, details?: string): SimResponse {
  return { status, body: { errors: [{ code, message, ...(details !== undefined && { details }) }] } };
}

// Amazon answers most refusals with 403 Unauthorized and tells them apart by the message.
function unauthorized(message: string, details?: string): SimResponse {
  return error(403, 'Unauthorized', message, details);
}

export const accessDenied = (): SimResponse => unauthorized('Access to requested resource is denied.', '');

export const invalidAccessToken = (): SimResponse =>
  unauthorized(
    'Access to requested resource is denied.',
    'The access token you provided is revoked, malformed or invalid.',
  );

export const expiredAccessToken = (): SimResponse => ({
  ...error(403, 'Unauthorized', 'The security token included in the request is expired'),
  headers: { 'x-amzn-ErrorType': 'ExpiredTokenException' },
});

export const solicitationNotAvailable = (): SimResponse =>
  unauthorized('The requested solicitation is not available for this amazonOrderId.', '');

export const outsideSolicitationWindow = (): SimResponse =>
  unauthorized(
    'You can\u2019t use this feature to request a review outside the 5-30 day range after the order delivery date.',
    '',
  );

export const quotaExceeded = (): SimResponse =>
  error(429, 'QuotaExceeded', 'You exceeded your quota for the requested resource.', '');

export const internalFailure = (): SimResponse =>
  error(500, 'InternalFailure', 'We encountered an internal error. Please try again.', '');

export const serviceUnavailable = (): SimResponse =>
  error(503, 'ServiceUnavailable', 'Temporary overloading or maintenance of the server.', '');

export const invalidInput = (details: string): SimResponse => error(400, 'InvalidInput', 'Invalid Input', details);

export const missingParameters = (names: string[]): SimResponse =>
  error(400, 'InvalidInput', `Missing or invalid request parameters: [${names.join(', ')}]`, '');

export const notFound = (details: string): SimResponse =>
  error(404, 'NotFound', 'The resource specified does not exist.', details);

export const conflict = (details: string): SimResponse =>
  error(409, 'Conflict', 'The requested resource conflict with a resource in the server.', details);
