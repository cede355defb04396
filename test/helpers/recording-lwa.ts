import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingLwa {
  /** The token URL, for LWA_ENDPOINT. */
  url: string;
  /** Token requests answered so far, by refresh token. */
  readonly requests: Map<string, number>;
  /** The most token requests that were in flight at once. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

/**
 * An LWA token endpoint that grants every refresh token after `delayMs` and records how many requests it
 * held at once: what a deploy's burst would look like to Amazon.
 */
export async function startRecordingLwa(delayMs = 20): Promise<RecordingLwa> {
  const requests = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer((request, response) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const token = new URLSearchParams(body).get('refresh_token') ?? '';
      requests.set(token, (requests.get(token) ?? 0) + 1);
      setTimeout(() => {
        inFlight -= 1;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ access_token: `Atza|${token.length}`, token_type: 'bearer', expires_in: 3600 }));
      }, delayMs);
    });
  });
  // Many sockets at once: the server must not be what bounds the concurrency it measures.
  server.maxConnections = 100_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/auth/o2/token`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
