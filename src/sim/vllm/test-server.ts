// Test support: one fake vLLM (engine + HTTP front end) on 127.0.0.1, serving `model` with the given
// `vllm serve` flags from the start — no simulated cluster, no SSH. Used by this folder's tests.
import { VllmEngine } from './engine.js';
import { VllmServer } from './server.js';

export interface FakeVllm {
  url: string;
  server: VllmServer;
  engine: VllmEngine;
  post(path: string, body: unknown, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startFakeVllm(model: string, flags: string[] = [], speed = 0.02): Promise<FakeVllm> {
  const engine: VllmEngine = new VllmEngine({
    speed,
    head: 'spark1',
    log: () => {},
    port: () => server.port,
  });
  const server = new VllmServer(engine, speed);
  await server.start();
  engine.serveNow(model, new Date(), flags);
  await server.sync();
  const url = `http://127.0.0.1:${server.port}`;
  return {
    url,
    server,
    engine,
    post: (path, body, init = {}) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        ...init,
      }),
    async close() {
      engine.close();
      await server.close();
    },
  };
}

/** The JSON payloads of an SSE body, up to (not including) `[DONE]`; `done` says whether it came. */
/** A parsed chunk: untyped JSON, read like `await res.json()` in the other tests. */
type Chunk = Awaited<ReturnType<Response['json']>>;

export async function sseChunks(res: Response): Promise<{ chunks: Chunk[]; done: boolean }> {
  const events = (await res.text())
    .split('\n\n')
    .filter(Boolean)
    .map((e) => e.replace(/^data: /, ''));
  const done = events.at(-1) === '[DONE]';
  return { chunks: events.filter((e) => e !== '[DONE]').map((e): Chunk => JSON.parse(e)), done };
}
