import type { SQSClientConfig } from '@aws-sdk/client-sqs';

/**
 * The SQS client's settings at an entry point: the SDK's own, and AWS_ENDPOINT_URL_SQS as the client's
 * endpoint. Left to the SDK, that variable loses to the queue URL's host whenever the two differ (a local
 * server that names its queues by another host name), and the SDK then writes a two-line warning to the
 * console on every request: unstructured lines in the log and, on a busy queue, a share of ingest's time.
 */
export function sqsClientConfig(endpoint: string | undefined): SQSClientConfig {
  return endpoint === undefined ? {} : { endpoint };
}
