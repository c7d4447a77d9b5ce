// The simulator's control plane over HTTP (127.0.0.1, ephemeral port): fault switches for tests
// and the demo's chaos panel, and the "dockerd" the docker shim talks to for state changes.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export type ContainerOp = 'start' | 'stop' | 'restart';

export interface ControlTarget {
  hasNode(name: string): boolean;
  state(): unknown;
  nodeDown(name: string): Promise<void>;
  nodeUp(name: string): Promise<void>;
  setLatency(name: string, ms: number): void;
  hangSsh(name: string, on: boolean): void;
  vllmDown(): void;
  vllmUp(): void;
  /** false when the node has no such container. */
  containerOp(node: string, container: string, op: ContainerOp): Promise<boolean>;
}

type Reply = { status: number; body: unknown };

const ok = (body: unknown = { ok: true }): Reply => ({ status: 200, body });
const fail = (status: number, error: string): Reply => ({ status, body: { error } });

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  let raw = '';
  for await (const chunk of req) raw += String(chunk);
  if (!raw.trim()) return {};
  try {
    const v: unknown = JSON.parse(raw);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function route(t: ControlTarget, req: IncomingMessage): Promise<Reply> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (req.method === 'GET' && path === '/state') return ok(t.state());
  if (req.method !== 'POST') return fail(405, 'method not allowed');
  if (path === '/vllm/down') return (t.vllmDown(), ok());
  if (path === '/vllm/up') return (t.vllmUp(), ok());

  const m = /^\/nodes\/([^/]+)\/(.+)$/.exec(path);
  if (!m) return fail(404, `no route ${path}`);
  const node = decodeURIComponent(m[1] ?? '');
  const action = m[2] ?? '';
  if (!t.hasNode(node)) return fail(404, `no such node: ${node}`);
  const body = await readJson(req);
  if (!body) return fail(400, 'body must be a JSON object');

  const c = /^containers\/([A-Za-z0-9_.-]+)\/(start|stop|restart)$/.exec(action);
  if (c) {
    const found = await t.containerOp(node, c[1] ?? '', c[2] as ContainerOp);
    return found ? ok() : fail(404, `No such container: ${c[1]}`);
  }
  switch (action) {
    case 'down':
      await t.nodeDown(node);
      return ok();
    case 'up':
      await t.nodeUp(node);
      return ok();
    case 'latency': {
      const ms = Number(body.ms);
      if (!Number.isFinite(ms) || ms < 0) return fail(400, 'ms must be a number >= 0');
      t.setLatency(node, ms);
      return ok();
    }
    case 'hang':
      if (typeof body.on !== 'boolean') return fail(400, 'on must be a boolean');
      t.hangSsh(node, body.on);
      return ok();
    default:
      return fail(404, `no route ${path}`);
  }
}

export async function startControlApi(t: ControlTarget): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    route(t, req).then(
      (r) => res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body)),
      (err: unknown) =>
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: String(err) })),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const addr = server.address();
  const port = addr && typeof addr === 'object' ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
