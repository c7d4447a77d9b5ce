import { connect, type AddressInfo, type Socket } from 'node:net';
import Fastify from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { BodyWatch, GuardedBody, bodyKind, installBodyGuard } from './body-guard.js';
import { AppError } from './errors.js';
import { BodyClock, resolveLimits } from './limits.js';

const limits = resolveLimits({ bodyIdleMs: 1_000, watchIntervalMs: 60_000 });

describe('BodyWatch', () => {
  it('cuts off broken bodies with a 408 that closes the connection, a batch per event-loop turn', async () => {
    let now = 0;
    const watch = new BodyWatch(limits.watchIntervalMs, () => now);
    const bodies = Array.from(
      { length: 100 },
      () => new GuardedBody(new BodyClock('upload', limits, 0), () => now),
    );
    const errors: unknown[] = [];
    for (const b of bodies) {
      b.on('error', (e) => errors.push(e));
      watch.add(b);
    }
    const healthy = new GuardedBody(new BodyClock('body', limits, 0), () => now);
    watch.add(healthy);
    now = 900;
    healthy.write(Buffer.from('x'));
    now = 1_500;
    watch.check();
    const cut = [bodies.filter((b) => b.destroyed).length];
    for (let turn = 0; turn < 4; turn++) {
      await new Promise((r) => setImmediate(r));
      cut.push(bodies.filter((b) => b.destroyed).length);
    }
    expect(cut).toEqual([32, 64, 96, 100, 100]);
    expect(healthy.destroyed).toBe(false);
    expect(watch.size).toBe(1);
    const err = errors[0] as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.status).toBe(408);
    expect(err.headers?.connection).toBe('close');
    watch.clear();
    expect(watch.size).toBe(0);
  });

  it('treats multipart bodies as uploads and everything else as bodies', () => {
    expect(bodyKind('multipart/form-data; boundary=x')).toBe('upload');
    expect(bodyKind(' Multipart/Form-Data')).toBe('upload');
    expect(bodyKind('application/json')).toBe('body');
    expect(bodyKind(undefined)).toBe('body');
  });
});

describe('installBodyGuard', () => {
  it('times a body still arriving, and leaves one that came whole with its headers untimed', async () => {
    const app = Fastify();
    // As in the app (request guard, auth): an async onRequest hook lets the parser finish the
    // segment that brought the headers before the body guard looks at the body.
    app.addHook('onRequest', async () => undefined);
    const watch = installBodyGuard(app, limits);
    const timed = vi.spyOn(watch, 'add');
    app.post('/echo', async (req) => req.body);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const head = (length: number) =>
      `POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;
    const answer = async (socket: Socket) => {
      const got: Buffer[] = [];
      for await (const c of socket) got.push(c as Buffer);
      return Buffer.concat(got).toString();
    };
    try {
      const whole = connect(port, '127.0.0.1');
      whole.end(`${head(8)}{"a":1}\n`);
      expect(await answer(whole)).toMatch(/^HTTP\/1.1 200[\s\S]*\{"a":1\}$/);
      expect(timed).not.toHaveBeenCalled();

      const split = connect(port, '127.0.0.1');
      split.write(`${head(8)}{"a"`);
      const done = answer(split);
      while (watch.size === 0) await new Promise((r) => setImmediate(r));
      split.end(':2}\n');
      expect(await done).toMatch(/^HTTP\/1.1 200[\s\S]*\{"a":2\}$/);
      expect(timed).toHaveBeenCalledTimes(1);
      expect(watch.size).toBe(0);
    } finally {
      await app.close();
    }
  });
});
