import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BodyClock, INPUT_LIMITS, resolveLimits, serverTimeouts } from './limits.js';

const l = resolveLimits({
  bodyIdleMs: 15_000,
  bodyTotalMs: 60_000,
  uploadGraceMs: 10_000,
  uploadWindowMs: 10_000,
  uploadMinBytesPerSec: 8 * 1024,
  uploadTotalMs: 30 * 60_000,
});

describe('BodyClock', () => {
  it('cuts off a body that sends nothing for the idle limit', () => {
    const c = new BodyClock('body', l, 0);
    c.received(10, 1_000);
    expect(c.verdict(15_999)).toBeNull();
    expect(c.verdict(16_000)?.reason).toBe('idle');
    expect(c.verdict(16_000)?.message).toContain('No request body data arrived for 15 s');
  });

  it('gives a JSON body a bounded total even when bytes keep coming', () => {
    const c = new BodyClock('body', l, 0);
    for (let t = 0; t < 60_000; t += 1_000) c.received(1, t);
    expect(c.verdict(59_999)).toBeNull();
    expect(c.verdict(60_000)?.reason).toBe('too-long');
  });

  it('judges an upload by its rate only after the grace period', () => {
    const c = new BodyClock('upload', l, 0);
    c.received(100, 0);
    for (let t = 1_000; t < 10_000; t += 1_000) c.received(1, t);
    expect(c.verdict(9_999)).toBeNull();
    const v = c.verdict(10_000);
    expect(v?.reason).toBe('too-slow');
    expect(v?.message).toContain('slower than 8 KiB/s');
  });

  it('lets a steady upload above the minimum rate run long past the JSON total', () => {
    const c = new BodyClock('upload', l, 0);
    for (let t = 0; t <= 20 * 60_000; t += 500) {
      c.received(8 * 1024, t);
      expect(c.verdict(t)).toBeNull();
    }
  });

  it('cuts off an upload that was fast, then trickles (the window slides)', () => {
    const c = new BodyClock('upload', l, 0);
    c.received(10 * 1024 * 1024, 0);
    for (let t = 1_000; t <= 30_000; t += 1_000) c.received(1, t);
    expect(c.verdict(5_000)).toBeNull();
    expect(c.verdict(30_000)?.reason).toBe('too-slow');
  });

  it('never lets an upload exceed its total, whatever its rate', () => {
    const c = new BodyClock('upload', l, 0);
    for (let t = 0; t < l.uploadTotalMs; t += 1_000) c.received(1024 * 1024, t);
    expect(c.verdict(l.uploadTotalMs)?.reason).toBe('too-long');
  });

  it('a verdict, once given, holds for a body that sends nothing more (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 2_000 }), fc.integer({ min: 0, max: 64 * 1024 })), {
          maxLength: 60,
        }),
        (steps) => {
          const c = new BodyClock('upload', l, 0);
          let t = 0;
          for (const [dt, bytes] of steps) {
            t += dt;
            c.received(bytes, t);
          }
          expect(c.verdict(t + l.bodyIdleMs)).not.toBeNull();
        },
      ),
    );
  });
});

describe('serverTimeouts', () => {
  it('sets the header, keep-alive and request timeouts the Fastify constructor takes', () => {
    expect(serverTimeouts(INPUT_LIMITS)).toEqual({
      keepAliveTimeout: 65_000,
      requestTimeout: INPUT_LIMITS.requestTimeoutMs,
      http: { headersTimeout: 15_000, connectionsCheckingInterval: 5_000 },
    });
    // Our JSON 408 for an upload answers before Node's bare one.
    expect(INPUT_LIMITS.requestTimeoutMs).toBeGreaterThan(INPUT_LIMITS.uploadTotalMs);
    expect(INPUT_LIMITS.uploadGraceMs).toBeGreaterThanOrEqual(INPUT_LIMITS.uploadWindowMs);
  });
});
