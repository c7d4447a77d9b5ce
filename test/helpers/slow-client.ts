// Raw HTTP clients that misbehave on purpose (stall, trickle), bound to a chosen loopback address
// so per-client limits see them as different clients. Shared by the limits tests and the bench.
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

export const BOUNDARY = 'sc-slow-boundary';

/** The start of a multipart transcription upload: headers, the file part's head and `bytes` of it. */
export function uploadHead(host: string, declaredLength: number, bytes = 4, close = false): Buffer {
  const head =
    `POST /v1/audio/transcriptions HTTP/1.1\r\nHost: ${host}\r\n${close ? 'Connection: close\r\n' : ''}` +
    `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${declaredLength}\r\n\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n` +
    `Content-Type: audio/wav\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), Buffer.alloc(bytes, 0x52)]);
}

export interface SlowClient {
  socket: Socket;
  /** Everything the server sent, once it closed the connection. */
  closed: Promise<string>;
  /** What the server sent so far. */
  received(): string;
}

/** Connects from `localAddress` and writes `first`; the caller decides what (if anything) follows. */
export async function slowClient(
  url: string,
  first: Buffer | string,
  localAddress = '127.0.0.1',
): Promise<SlowClient> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port), localAddress });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let text = '';
  socket.on('data', (d: Buffer) => (text += d.toString('utf8')));
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(text)));
  socket.write(first);
  return { socket, closed, received: () => text };
}

/** The status and JSON body of a raw HTTP/1.1 answer. */
export function parseAnswer(raw: string): { status: number; headers: string; body: unknown } {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  const text = rest.join('\r\n\r\n');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status, headers: head.toLowerCase(), body };
}

/** Established TCP connections towards `port` (the client side of each), from /proc/net/tcp. */
export function connectionsTo(port: number): number {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[2]?.endsWith(hex) && f[3] === '01').length;
}
