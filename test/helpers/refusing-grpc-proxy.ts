import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP/2 proxy in front of a Temporal frontend that answers the named gRPC methods with a refusal (a
 * trailers-only response) and passes every other call through: a server, as the product sees it, that does
 * not take some requests, such as a Temporal Cloud namespace refusing task-queue configuration.
 */
export async function startRefusingGrpcProxy(options: {
  target: string;
  /** Full method names, e.g. `DescribeTaskQueue` of `temporal.api.workflowservice.v1.WorkflowService`. */
  refuse: readonly string[];
  code: number;
  message: string;
}): Promise<{ address: string; refused: string[]; close(): Promise<void> }> {
  const upstream = http2.connect(`http://${options.target}`);
  const refused: string[] = [];
  const server = http2.createServer();
  server.on('stream', (stream, headers) => {
    const method = String(headers[':path']).split('/').pop() ?? '';
    if (options.refuse.includes(method)) {
      refused.push(method);
      stream.respond(
        {
          ':status': 200,
          'content-type': 'application/grpc',
          'grpc-status': String(options.code),
          'grpc-message': encodeURIComponent(options.message),
        },
        { endStream: true },
      );
      return;
    }
    const forwarded = Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith(':')));
    const call = upstream.request({ ...forwarded, ':method': 'POST', ':path': headers[':path'] });
    stream.pipe(call);
    call.on('response', (response) => {
      const { ':status': status, ...rest } = response;
      stream.respond({ ':status': status, ...rest }, { waitForTrailers: true });
      call.pipe(stream);
    });
    let trailers: http2.OutgoingHttpHeaders = {};
    call.on('trailers', (received: http2.IncomingHttpHeaders) => {
      trailers = { ...received };
    });
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    call.on('error', () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
    stream.on('error', () => call.close(http2.constants.NGHTTP2_CANCEL));
    stream.on('close', () => call.close());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        upstream.close();
        server.close(() => resolve());
      }),
  };
}
