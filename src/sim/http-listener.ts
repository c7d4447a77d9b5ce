// An HTTP listener on 127.0.0.1 that can be switched off and on again on the same port: a
// simulated service whose container stops (or whose node drops) refuses connections exactly like a
// dead process, and answers again on the port it had once it is back.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export class ToggleListener {
  port: number;
  private server: Server | undefined;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly handler: HttpHandler,
    port = 0,
  ) {
    this.port = port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  /** Opens (up) or closes (down) the listener; calls run one at a time, so flips never race. */
  set(up: boolean): Promise<void> {
    return this.queue(() => (up && !this.closed ? this.open() : this.shut()));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue(() => this.shut());
  }

  private queue(task: () => Promise<void>): Promise<void> {
    const next = this.chain.then(task);
    this.chain = next.catch((err: unknown) => console.warn(`sim: listener on ${this.port}: ${String(err)}`));
    return next;
  }

  private async open(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => {
      this.handler(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`Internal Server Error: ${String(err)}`);
      });
    });
    server.keepAliveTimeout = 5_000;
    this.server = server;
    try {
      server.listen(this.port, '127.0.0.1');
      await once(server, 'listening');
    } catch (err) {
      this.server = undefined;
      throw err;
    }
    const addr = server.address();
    if (addr && typeof addr === 'object') this.port = addr.port;
  }

  private async shut(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}

/** The whole request body, or undefined when it exceeds `max` bytes. */
export async function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** uvicorn's access-log line, as the speech containers print it. */
export function accessLine(req: IncomingMessage, path: string, status: number, phrase: string): string {
  const from = `${req.socket.remoteAddress ?? '127.0.0.1'}:${req.socket.remotePort ?? 0}`;
  return `INFO:     ${from} - "${req.method} ${path} HTTP/${req.httpVersion}" ${status} ${phrase}`;
}
