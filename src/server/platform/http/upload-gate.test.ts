import { describe, expect, it } from 'vitest';
import type { AppError } from './errors.js';
import { UploadGate } from './upload-gate.js';

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
