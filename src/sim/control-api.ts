// The simulator's control plane over HTTP (127.0.0.1, ephemeral port): fault switches for tests
// and the demo's chaos panel, and the "dockerd" the docker shim talks to for state changes and for
// processes inside containers (`vllm`, `python3`, `ray`).
//
// Process routes answer in a line protocol the shims read with plain bash: every line starts with
// `o` (stdout) or `e` (stderr), and a last `x<code>` line gives the exit code. `…/vllm` streams:
// it stays open for as long as the vLLM process lives.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { FAULT_PATHS, faultRoute, type ServiceFaults } from './control-faults.js';
import { type HfFault, hubManifestReply } from './hf-hub.js';
import { LAUNCHER_VERSIONS, type LauncherVersion } from './launcher-repo.js';

export type ContainerOp = 'start' | 'stop' | 'restart';

/** A running process's output channel, as the control API streams it to the shim. */
export interface ProcStream {
  out(lines: string[], stream?: 'o' | 'e'): void;
  exit(code: number): void;
  /** Called once if the shim goes away before the process exited. */
  onGone(fn: () => void): void;
}

export type TextReply = { status: number; text: string };

export interface ControlTarget extends ServiceFaults {
  hasNode(name: string): boolean;
  state(): unknown;
  nodeDown(name: string): Promise<void>;
  nodeUp(name: string): Promise<void>;
  setLatency(name: string, ms: number): void;
  hangSsh(name: string, on: boolean): void;
  vllmDown(): void;
  vllmUp(): void;
  launcherCommit(message: string): string;
  dirtyLauncher(on: boolean): void;
  launcherVersion(version: LauncherVersion): string;
  /** `docker build` on every node fails midway with BuildKit's error (exit 1) while on. */
  launcherBuildFault(on: boolean): void;
  /** Download faults of the node's `hf` (null: none) and whether `hf` itself is installed there. */
  hfFault(node: string, fault: HfFault | null): void;
  hfCli(node: string, installed: boolean): void;
  /** false when the node has no such container. */
  containerOp(node: string, container: string, op: ContainerOp): Promise<boolean>;
  /** `docker run -d` with the shim's parsed options (key=value fields, `cmd=` repeated in order). */
  runContainer(node: string, name: string, fields: [string, string][]): Promise<TextReply>;
  removeContainer(node: string, name: string, force: boolean): Promise<TextReply>;
  addProc(node: string, container: string, pgid: number): TextReply;
  setImage(node: string, image: string, id: string): TextReply;
  /** The simulated nvcr.io (`docker login|logout|pull`, nim.ts); the password arrives as the body. */
  registry(
    node: string,
    op: 'login' | 'logout' | 'manifest',
    body: string,
    args: Record<string, string>,
  ): TextReply;
  /** `vllm …` inside a container: argv after `vllm`, the process's cwd. */
  /** `binds`: a throwaway container's mounts (`docker run --rm -v …`), which have no record. */
  vllm(node: string, container: string, cwd: string, argv: string[], io: ProcStream, binds?: string[]): void;
  /** `python3 -c <script> …` inside a container (the control plane's argument pre-flight). */
  python(node: string, container: string, script: string, argv: string[], binds?: string[]): TextReply;
  /** `ray start|stop|status` inside a container. */
  ray(node: string, container: string, argv: string[]): TextReply;
}

type Reply = { status: number; body: unknown };

const ok = (body: unknown = { ok: true }): Reply => ({ status: 200, body });
const fail = (status: number, error: string): Reply => ({ status, body: { error } });

async function readRaw(req: IncomingMessage): Promise<string> {
  let raw = '';
  for await (const chunk of req) raw += String(chunk);
  return raw;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const raw = await readRaw(req);
  if (!raw.trim()) return {};
  try {
    const v: unknown = JSON.parse(raw);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** NUL-separated fields (what `printf '%s\0' "$@"` sends). */
const nulFields = (raw: string): string[] => {
  const parts = raw.split('\0');
  if (parts.at(-1) === '') parts.pop();
  return parts;
};

/** Renders lines for the shim protocol: one `o`/`e` prefixed line each. */
export const protoLines = (lines: string[], stream: 'o' | 'e' = 'o'): string =>
  lines
    .flatMap((l) => l.split('\n'))
    .map((l) => `${stream}${l}\n`)
    .join('');

async function route(t: ControlTarget, req: IncomingMessage): Promise<Reply | TextReply> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
  if (req.method === 'GET' && path === '/state') return ok(t.state());
  if (req.method === 'GET' && path === '/hf/manifest')
    return hubManifestReply(query.get('repo') ?? '', query.get('revision') ?? '');
  if (req.method !== 'POST') return fail(405, 'method not allowed');
  if (path === '/vllm/down') return (t.vllmDown(), ok());
  if (path === '/vllm/up') return (t.vllmUp(), ok());
  if (FAULT_PATHS.has(path)) return faultRoute(t, path, await readJson(req));
  if (path === '/launcher/commit') {
    const body = await readJson(req);
    const message =
      typeof body?.message === 'string' && body.message.trim() ? body.message : 'Update launcher';
    return ok({ sha: t.launcherCommit(message) });
  }
  if (path === '/launcher/version') {
    const body = await readJson(req);
    const version = LAUNCHER_VERSIONS.find((v) => v === body?.version);
    if (!version)
      return fail(400, `version must be one of ${LAUNCHER_VERSIONS.map((v) => `"${v}"`).join(', ')}`);
    return ok({ sha: t.launcherVersion(version) });
  }
  if (path === '/launcher/build-fault') {
    const body = await readJson(req);
    if (typeof body?.on !== 'boolean') return fail(400, 'on must be a boolean');
    t.launcherBuildFault(body.on);
    return ok();
  }
  if (path === '/launcher/dirty') {
    const body = await readJson(req);
    if (typeof body?.on !== 'boolean') return fail(400, 'on must be a boolean');
    t.dirtyLauncher(body.on);
    return ok();
  }

  const m = /^\/nodes\/([^/]+)\/(.+)$/.exec(path);
  if (!m) return fail(404, `no route ${path}`);
  const node = decodeURIComponent(m[1] ?? '');
  const action = m[2] ?? '';
  if (!t.hasNode(node)) return fail(404, `no such node: ${node}`);

  const c = /^containers\/([A-Za-z0-9_.-]+)\/(start|stop|restart|run|rm|procs|python|ray)$/.exec(action);
  if (c) {
    const name = c[1] ?? '';
    switch (c[2]) {
      case 'run':
        return t.runContainer(node, name, parseFields(nulFields(await readRaw(req))));
      case 'rm':
        return t.removeContainer(node, name, query.get('force') === '1');
      case 'procs':
        return t.addProc(node, name, Number((await readRaw(req)).trim()));
      case 'python': {
        const [script = '', ...argv] = nulFields(await readRaw(req));
        return t.python(node, name, script, argv, headerBinds(req));
      }
      case 'ray':
        return t.ray(node, name, nulFields(await readRaw(req)));
      default: {
        const found = await t.containerOp(node, name, c[2] as ContainerOp);
        return found ? ok() : fail(404, `No such container: ${name}`);
      }
    }
  }
  const reg = /^registry\/(login|logout|manifest)$/.exec(action);
  if (reg) {
    const user = req.headers['x-sim-user'];
    return t.registry(node, reg[1] as 'login' | 'logout' | 'manifest', await readRaw(req), {
      server: query.get('server') ?? '',
      user: typeof user === 'string' ? user : '',
    });
  }
  const img = /^images\/([A-Za-z0-9_./:-]+)$/.exec(action);
  if (img) return t.setImage(node, decodeURIComponent(img[1] ?? ''), (await readRaw(req)).trim());

  const body = await readJson(req);
  if (!body) return fail(400, 'body must be a JSON object');
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
    case 'hf/fault': {
      const f = body.fault ?? null;
      if (f !== null && f !== 'download-fail' && f !== 'disk-full')
        return fail(400, 'fault must be "download-fail", "disk-full" or null');
      t.hfFault(node, f);
      return ok();
    }
    case 'hf/cli':
      if (typeof body.hf !== 'boolean') return fail(400, 'hf must be a boolean');
      t.hfCli(node, body.hf);
      return ok();
    default:
      return fail(404, `no route ${path}`);
  }
}

function parseFields(parts: string[]): [string, string][] {
  return parts.map((p) => {
    const eq = p.indexOf('=');
    return eq < 0 ? [p, ''] : [p.slice(0, eq), p.slice(eq + 1)];
  });
}

/** `POST /nodes/{n}/containers/{c}/vllm`: body cwd\0argv…; streams the process's output and exit. */
async function streamVllm(
  t: ControlTarget,
  req: IncomingMessage,
  res: ServerResponse,
  m: RegExpExecArray,
): Promise<void> {
  const node = decodeURIComponent(m[1] ?? '');
  const container = m[2] ?? '';
  const [cwd = '/', ...argv] = nulFields(await readRaw(req));
  if (!t.hasNode(node)) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`eno such node: ${node}\nx1\n`);
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' });
  res.flushHeaders();
  let ended = false;
  let gone: (() => void) | undefined;
  res.on('close', () => {
    if (!ended) {
      ended = true;
      gone?.();
    }
  });
  const io: ProcStream = {
    out(lines, stream = 'o') {
      if (!ended && lines.length > 0) res.write(protoLines(lines, stream));
    },
    exit(code) {
      if (ended) return;
      ended = true;
      res.end(`x${code}\n`);
    },
    onGone(fn) {
      gone = fn;
    },
  };
  t.vllm(node, container, cwd, argv, io, headerBinds(req));
}

/** `X-Sim-Binds: host:ctr|host:ctr` (sent by proto_call for a throwaway container's mounts). */
function headerBinds(req: IncomingMessage): string[] | undefined {
  const h = req.headers['x-sim-binds'];
  return typeof h === 'string' && h !== '' ? h.split('|') : undefined;
}

export async function startControlApi(t: ControlTarget): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const v = /^\/nodes\/([^/]+)\/containers\/([A-Za-z0-9_.-]+)\/vllm$/.exec(path);
    if (v && req.method === 'POST') {
      streamVllm(t, req, res, v).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(`e${String(err)}\nx1\n`);
      });
      return;
    }
    route(t, req).then(
      (r) =>
        'text' in r
          ? res.writeHead(r.status, { 'content-type': 'text/plain; charset=utf-8' }).end(r.text)
          : res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body)),
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
