import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/http/errors.js';
import { GpuSlots } from './gpu-slots.js';

const refused = (slots: GpuSlots): AppError => {
  try {
    slots.tryAcquire();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
};

describe('GpuSlots', () => {
  it('refuses a request over the cap with 503 + Retry-After, and frees the slot on release', () => {
    const slots = new GpuSlots({ capacity: 2, retryAfterS: 7 });
    const a = slots.tryAcquire();
    slots.tryAcquire();
    const err = refused(slots);
    expect(err.status).toBe(503);
    expect(err.headers?.['retry-after']).toBe('7');
    expect(err.message).toMatch(/audio\.gpu_concurrency/);
    a();
    a(); // idempotent
    expect(slots.inFlight).toBe(1);
    expect(() => slots.tryAcquire()).not.toThrow();
  });

  it('queues waiting work FIFO and hands a released slot to the first waiter', async () => {
    const slots = new GpuSlots({ capacity: 1 });
    const first = await slots.acquire();
    const order: number[] = [];
    const second = slots.acquire().then((r) => (order.push(2), r));
    const third = slots.acquire().then((r) => (order.push(3), r));
    expect(slots.waiting).toBe(2);
    first();
    (await second)();
    (await third)();
    expect(order).toEqual([2, 3]);
    expect(slots.inFlight).toBe(0);
  });

  it('an aborted waiter leaves the queue and rejects with the reason', async () => {
    const slots = new GpuSlots({ capacity: 1 });
    const held = await slots.acquire();
    const ac = new AbortController();
    const waiting = slots.acquire(ac.signal);
    ac.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    expect(slots.waiting).toBe(0);
    held();
    expect(slots.inFlight).toBe(0);
  });

  it('after a refused request, waiting work leaves a slot free for the retry (no starvation)', async () => {
    let now = 1000;
    const slots = new GpuSlots({ capacity: 2, retryAfterS: 1, yieldMs: 5000, now: () => now });
    const a = await slots.acquire();
    const b = await slots.acquire();
    refused(slots); // a short request found both slots held by a long job
    const next = slots.acquire();
    let got = false;
    void next.then(() => (got = true));
    a();
    await Promise.resolve();
    expect(got).toBe(false); // the freed slot is kept for the retrying request
    const retry = slots.tryAcquire();
    retry();
    now += 6000; // the window is over: the job may use both slots again
    b();
    (await next)();
    expect(got).toBe(true);
  });
});
