import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface SlowProxy {
  address: string;
  close(): Promise<void>;
}

/**
 * A TCP proxy that holds every chunk from client to server (or, with `hold: 'responses'`, from server to
 * client) for `delayMs` before passing it on, in order. Put in front of Temporal, it keeps a process's calls
 * in flight long enough for a test to stop or kill the process while it holds messages, instead of hoping to
 * catch it at the right millisecond. Holding responses lets the server act on a request while the client
 * still waits for the answer.
 */
export function startSlowProxy(
  target: string,
  delayMs: number,
  { hold = 'requests' }: { hold?: 'requests' | 'responses' } = {},
): Promise<SlowProxy> {
  const [host, port] = splitAddress(target);
  const sockets = new Set<Socket>();
  const server: Server = createServer((downstream) => {
    const upstream = createConnection({ host, port });
    for (const socket of [downstream, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => [downstream, upstream].forEach((s) => s.destroy()));
    }
    const [from, to] = hold === 'requests' ? [downstream, upstream] : [upstream, downstream];
    from.on('data', (chunk) => setTimeout(() => to.write(chunk), delayMs));
    from.on('end', () => setTimeout(() => to.end(), delayMs));
    to.pipe(from);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no proxy address'));
      resolve({
        address: `127.0.0.1:${address.port}`,
        close: () =>
          new Promise((done) => {
            sockets.forEach((socket) => socket.destroy());
            server.close(() => done());
          }),
      });
    });
  });
}

function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at), Number(address.slice(at + 1))];
}
