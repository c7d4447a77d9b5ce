import { describe, expect, it } from 'vitest';
import { BodyWatch, GuardedBody, bodyKind } from './body-guard.js';
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
