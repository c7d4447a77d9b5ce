import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDLE_MS, isLanOrigin, SplicePool } from './splice-pool.js';

let server: Server;
let port = 0;
beforeAll(async () => {
  server = createServer((s) => s.on('error', () => undefined));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.close();
});

describe('SplicePool', () => {
  it('hands a released connection out again, and never one destroyed while it waited', async () => {
    const pool = new SplicePool(8);
    const a = pool.take('127.0.0.1', port, 60_000);
    await once(a.socket, 'connect');
    pool.release('127.0.0.1', port, a);
    expect(pool.take('127.0.0.1', port, 60_000)).toBe(a);
    pool.release('127.0.0.1', port, a);
    // Destroyed (as its idle timer does) but not yet closed: its 'close' comes a tick later.
    a.socket.destroy();
    const b = pool.take('127.0.0.1', port, 60_000);
    expect(b).not.toBe(a);
    expect(b.socket.destroyed).toBe(false);
    pool.destroy();
  });

  it('never hands out a connection idle for IDLE_MS whose timer has not fired yet', async () => {
    let now = 0;
    const pool = new SplicePool(8, () => now);
    const a = pool.take('127.0.0.1', port, 60_000);
    await once(a.socket, 'connect');
    pool.release('127.0.0.1', port, a);
    now = IDLE_MS - 1;
    expect(pool.take('127.0.0.1', port, 60_000)).toBe(a);
    pool.release('127.0.0.1', port, a);
    // A busy event loop: the idle timer is due but has not run; the server may be closing it.
    now += IDLE_MS;
    const b = pool.take('127.0.0.1', port, 60_000);
    expect(b).not.toBe(a);
    expect(a.socket.destroyed).toBe(true);
    pool.destroy();
  });

  it('times a taken connection out after the time it is given, idle or reused', async () => {
    const pool = new SplicePool(8);
    const a = pool.take('127.0.0.1', port, 30);
    expect(a.socket.timeout).toBe(30);
    await once(a.socket, 'connect');
    pool.release('127.0.0.1', port, a);
    expect(pool.take('127.0.0.1', port, 40)).toBe(a);
    expect(a.socket.timeout).toBe(40);
    // Nothing arrives within those 40 ms: the pool ends the connection and says why.
    const gone = new Promise<Error | undefined>((resolve) => (a.onGone = resolve));
    expect((await gone)?.message).toBe('timed out');
    pool.destroy();
  });

  it('tells whoever holds a connection that it went away', async () => {
    const pool = new SplicePool(8);
    const c = pool.take('127.0.0.1', 1, 60_000);
    const gone = new Promise<Error | undefined>((resolve) => (c.onGone = resolve));
    expect(((await gone) as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(c.connected).toBe(false);
  });
});

describe('isLanOrigin', () => {
  it.each([
    ['http://127.0.0.1:8000', true],
    ['http://172.32.0.5:8000', false],
    ['http://[::1]:8000', true],
    ['http://spark1:8000', true],
    ['http://spark1.local:8000', true],
    ['http://localhost:8000', true],
    ['https://127.0.0.1:8000', false],
    ['http://198.51.100.7', false],
    ['http://vllm.example.com', false],
  ])('%s → %s', (url, lan) => {
    expect(isLanOrigin(new URL(url))).toBe(lan);
  });
});
