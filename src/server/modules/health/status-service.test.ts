// The vLLM check against real loopback sockets: a port nobody listens on, a server that takes the
// connection and never answers, and one that lists a model.
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { freePort } from '../../../../test/helpers/server-process.js';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../platform/events/bus.js';
import { StatusService } from './status-service.js';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

function listen<T extends Server | TcpServer>(s: T): Promise<number> {
  closers.push(() => s.close());
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
}

function service(
  port: number,
  o: {
    headDown?: boolean;
    swapping?: boolean;
    timeoutMs?: number;
    swapInProgress?: () => { id: string } | null;
  } = {},
) {
  // `o` is read at each call, so a test can flip it.
  return new StatusService({
    config: {
      nodes: [{ name: 'spark1', host: '127.0.0.1', user: 'u', ssh_port: 22, qsfp_ip: null, mac: null }],
      vllm: { nodes: ['spark1'], port, container: 'vllm_node', launcher_dir: '~/spark-vllm-docker' },
      services: {},
    },
    bus: new EventBus(),
    intervalMs: 60_000,
    timeoutMs: o.timeoutMs ?? 300,
    headDown: () => o.headDown ?? false,
    swapInProgress: o.swapInProgress ?? (() => (o.swapping ? { id: 'x' } : null)),
  });
}

describe('StatusService vLLM check', () => {
  it('is idle when nothing listens, loading when a swap runs, unreachable when the head is down', async () => {
    const port = await freePort();
    expect((await service(port).checkVllm()).state).toBe('idle');
    expect((await service(port, { swapping: true }).checkVllm()).state).toBe('loading');
    expect((await service(port, { headDown: true }).checkVllm()).state).toBe('unreachable');
  });

  it('is unknown, not idle, when vLLM takes the connection and does not answer', async () => {
    const silent = createTcpServer((socket) => closers.push(() => socket.destroy()));
    const s = await service(await listen(silent)).checkVllm();
    expect(s).toMatchObject({ state: 'unknown', ok: false, model: null });
    expect(s.error).toMatch(/did not answer within 0.3 s/);
  });

  it('is loaded with the listed model, and /api/endpoints is ready only then', async () => {
    const vllm = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[{"id":"org/model"}]}'),
    );
    const svc = service(await listen(vllm));
    const st = await svc.refresh();
    expect(st.vllm).toMatchObject({ state: 'loaded', ok: true, model: 'org/model' });
    expect(svc.endpoints().vllm).toMatchObject({ model: 'org/model', ready: true });
  });

  it('turns unreachable as soon as the SSH pool marks the head down, before the next poll', async () => {
    const vllm = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[{"id":"org/model"}]}'),
    );
    const o = { headDown: false };
    const svc = service(await listen(vllm), o);
    await svc.refresh();
    expect(svc.current().vllm.state).toBe('loaded');
    o.headDown = true;
    expect(svc.current().vllm).toMatchObject({ state: 'unreachable', ok: false, model: null });
    expect(svc.endpoints().vllm.ready).toBe(false);
    // The gateway's accessor: the same base URL either way (requests then fail as unreachable).
    expect(svc.vllmEndpoint()).toBe(svc.endpoints().vllm.base_url);
    expect(svc.vllmEndpoint()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    o.headDown = false;
    expect(svc.current().vllm.state).toBe('loaded');
  });

  it('runs no follow-up refresh once stopped: the app closes what the check reads right after', async () => {
    const answers: (() => void)[] = [];
    const vllm = createServer((_req, res) =>
      answers.push(() =>
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[{"id":"org/model"}]}'),
      ),
    );
    const port = await listen(vllm);
    let closed = false;
    let readsAfterClose = 0;
    const svc = service(port, {
      timeoutMs: 5000,
      // What the swap module reads from the job store: a closed database throws.
      swapInProgress: () => {
        if (closed) readsAfterClose++;
        return null;
      },
    });
    const inFlight = svc.refresh();
    while (answers.length === 0) await new Promise((r) => setTimeout(r, 5));
    void svc.refresh(); // asked for during the one in flight (a swap ending): queued as a follow-up
    svc.stop();
    closed = true;
    answers.shift()!();
    expect((await inFlight).vllm.model).toBe('org/model');
    expect((await svc.refresh()).vllm.model).toBe('org/model'); // the last state, no new look
    await new Promise((r) => setTimeout(r, 50));
    expect(answers).toEqual([]);
    expect(readsAfterClose).toBe(0);
  });
});
