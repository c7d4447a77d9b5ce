import { describe, expect, it } from 'vitest';
import type { AppError } from './errors.js';
import { clientKey, UploadGate } from './upload-gate.js';

const refusal = (f: () => unknown): AppError => {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a refusal');
};

describe('UploadGate', () => {
  it('refuses a fifth upload from one address with 429 and Retry-After, others still pass', () => {
    const gate = new UploadGate(4, 100);
    const releases = [1, 2, 3, 4].map(() => gate.acquire('127.0.0.2'));
    const err = refusal(() => gate.acquire('127.0.0.2'));
    expect(err.status).toBe(429);
    expect(err.headers?.['retry-after']).toBe('10');
    expect(err.message).toContain('limit is 4');
    expect(() => gate.acquire('127.0.0.3')).not.toThrow();
    releases[0]!();
    expect(() => gate.acquire('127.0.0.2')).not.toThrow();
  });

  it('answers 503 when every slot is taken and frees slots once, even when released twice', () => {
    const gate = new UploadGate(4, 2);
    const a = gate.acquire('a');
    gate.acquire('b');
    expect(refusal(() => gate.acquire('c')).status).toBe(503);
    a();
    a();
    expect(gate.inFlight).toBe(1);
    gate.acquire('c');
    expect(refusal(() => gate.acquire('d')).status).toBe(503);
  });
});

describe('clientKey', () => {
  it('counts an IPv6 /64 as one client, IPv4 (mapped or not) per address', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:ffff:ffff:ffff:fffe')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:DB8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('::ffff:127.0.0.2')).toBe('127.0.0.2');
    expect(clientKey('127.0.0.2')).toBe('127.0.0.2');
  });

  it('refuses a fifth upload from other addresses of the same /64', () => {
    const gate = new UploadGate(4, 100);
    for (let i = 1; i <= 4; i++) gate.acquire(`2001:db8:0:1::${i}`);
    expect(refusal(() => gate.acquire('2001:db8:0:1::99')).status).toBe(429);
    expect(() => gate.acquire('2001:db8:0:2::1')).not.toThrow();
  });
});
