/**
 * Raw HTTP/1.1 over a TCP socket, for requests no HTTP client will send: lying Content-Length, NUL bytes
 * in headers, duplicate framing headers, bodies that stop half-way.
 */
import { connect } from 'node:net';

export interface RawAnswer {
  /** The status of the first answer, or null when the server closed without answering. */
  readonly status: number | null;
  /** Whether the server closed the connection before `waitMs` ran out. */
  readonly closed: boolean;
  readonly text: string;
  /** How long until the server answered or closed, or `waitMs`. */
  readonly elapsedMs: number;
}

export interface RawOptions {
  /** Give up (and destroy the socket) after this long. */
  readonly waitMs: number;
  /** Half-close after writing, as a client that stops sending does; default false. */
  readonly end?: boolean;
}

/** Writes `bytes` to the gateway at `port` and reports what came back within `waitMs`. */
export function rawRequest(port: number, bytes: Buffer | string, options: RawOptions): Promise<RawAnswer> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
      resolve({ status: status === undefined ? null : Number(status), closed, text, elapsedMs: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false), options.waitMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // One complete answer is enough; keep-alive would otherwise hold the socket open.
      if (/\r\n\r\n/.test(Buffer.concat(chunks).toString('latin1'))) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(bytes);
    if (options.end) socket.end();
  });
}

/** A POST head for `path` with the given extra header lines (each without CRLF). */
export function head(path: string, lines: readonly string[]): string {
  return [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...lines, '', ''].join('\r\n');
}
