import http2, { type Http2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';
import type { AddressInfo } from 'node:net';

export interface GrpcGate {
  /** host:port to connect a Temporal client to. */
  address: string;
  /** Answers every call whose method name is in `methods` with gRPC status `code`, until `open()`. */
  refuse(methods: readonly string[], code: number): void;
  open(): void;
  /** Calls refused so far, by method. */
  refused: string[];
  close(): Promise<void>;
}

const HOP_HEADERS = new Set([':method', ':path', ':authority', ':scheme', ':status', 'connection']);

const forwardable = (headers: IncomingHttpHeaders): OutgoingHttpHeaders =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_HEADERS.has(name)));

/**
 * A gRPC (HTTP/2 cleartext) proxy in front of Temporal that can refuse chosen methods the way a server
 * refuses a caller whose API key lost its role: a trailers-only answer with a gRPC status. Everything else
 * passes through untouched, so the test sees the real server's behaviour for the calls it lets through.
 */
export async function startGrpcGate(target: string): Promise<GrpcGate> {
  const upstream = http2.connect(`http://${target}`);
  upstream.on('error', () => undefined);
  let refusal: { methods: ReadonlySet<string>; code: number } | undefined;
  const refused: string[] = [];
  const sessions = new Set<Http2Session>();
  const server = http2.createServer();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    const path = String(headers[':path']);
    const method = path.slice(path.lastIndexOf('/') + 1);
    stream.on('error', () => undefined);
    if (refusal?.methods.has(method)) {
      refused.push(method);
      stream.respond(
        {
          ':status': 200,
          'content-type': 'application/grpc',
          'grpc-status': String(refusal.code),
          'grpc-message': 'refused by the test gate',
        },
        { endStream: true },
      );
      return;
    }
    const call = upstream.request({ ':method': 'POST', ':path': path, ...forwardable(headers) });
    call.on('error', () => stream.destroy());
    stream.pipe(call);
    let trailers: OutgoingHttpHeaders = {};
    call.on('response', (answer) => {
      const trailersOnly = answer['grpc-status'] !== undefined;
      stream.respond(
        { ':status': Number(answer[':status'] ?? 200), ...forwardable(answer) },
        {
          endStream: trailersOnly,
          waitForTrailers: !trailersOnly,
        },
      );
    });
    call.on('trailers', (received: IncomingHttpHeaders) => (trailers = forwardable(received)));
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    call.on('data', (chunk: Buffer) => stream.write(chunk));
    call.on('end', () => {
      if (!stream.closed && !stream.writableEnded) stream.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    refuse(methods, code) {
      refusal = { methods: new Set(methods), code };
    },
    open() {
      refusal = undefined;
    },
    refused,
    async close() {
      for (const session of sessions) session.destroy();
      upstream.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
