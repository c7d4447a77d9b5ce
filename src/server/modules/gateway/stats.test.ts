import { describe, expect, it } from 'vitest';
import { GatewayStats, LatencyWindow } from './stats.js';

describe('LatencyWindow', () => {
  it('is empty at first', () => {
    const w = new LatencyWindow(4);
    expect(w.count).toBe(0);
    expect(w.percentile(50)).toBeNull();
  });

  it('gives nearest-rank percentiles', () => {
    const w = new LatencyWindow(100);
    for (let i = 100; i >= 1; i--) w.add(i);
    expect(w.percentile(50)).toBe(50);
    expect(w.percentile(95)).toBe(95);
    expect(w.percentile(100)).toBe(100);
    expect(w.percentile(1)).toBe(1);
  });

  it('keeps only the latest `size` samples', () => {
    const w = new LatencyWindow(3);
    for (const ms of [1000, 1000, 1000, 1, 2, 3]) w.add(ms);
    expect(w.count).toBe(3);
    expect(w.percentile(100)).toBe(3);
    expect(w.percentile(50)).toBe(2);
  });

  it('sorts numerically, not as strings', () => {
    const w = new LatencyWindow(3);
    for (const ms of [9, 10, 100]) w.add(ms);
    expect(w.percentile(50)).toBe(10);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => new LatencyWindow(0)).toThrow(RangeError);
    expect(() => new LatencyWindow(1.5)).toThrow(RangeError);
  });
});

describe('GatewayStats', () => {
  const now = () => Date.parse('2026-01-02T03:04:05.000Z');

  it('lists every configured name, used or not', () => {
    const s = new GatewayStats(['anonymous', 'cron'], { keysRequired: true, now });
    expect(s.snapshot()).toMatchObject({
      keys_required: true,
      window_size: 1000,
      clients: [
        { name: 'anonymous', requests: 0, errors: 0, aborted: 0, last_request_at: null },
        { name: 'cron', requests: 0, latency_ms: { p50: null, p95: null, window: 0 } },
      ],
    });
  });

  it('counts requests, errors (status or mid-stream) and aborts separately', () => {
    const s = new GatewayStats(['cron'], { keysRequired: true, windowSize: 10, now });
    s.record('cron', { status: 200, ms: 10, aborted: false, failed: false });
    s.record('cron', { status: 404, ms: 20, aborted: false, failed: false });
    s.record('cron', { status: 200, ms: 30, aborted: false, failed: true });
    s.record('cron', { status: 200, ms: 5000, aborted: true, failed: false });
    const [cron] = s.snapshot().clients;
    expect(cron).toEqual({
      name: 'cron',
      requests: 4,
      errors: 2,
      aborted: 1,
      last_request_at: '2026-01-02T03:04:05.000Z',
      // An aborted request's time says how long the client waited, not how fast vLLM was.
      latency_ms: { p50: 20, p95: 30, window: 3 },
    });
  });
});
