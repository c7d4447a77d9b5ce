import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAGIC_PACKET_BYTES, macOfMagicPacket, magicPacket, normalizeMac } from './magic-packet.js';

describe('normalizeMac', () => {
  it.each([
    ['4c:bb:47:0a:1b:2c', '4c:bb:47:0a:1b:2c'],
    ['4C:BB:47:0A:1B:2C', '4c:bb:47:0a:1b:2c'],
    ['4c-bb-47-0a-1b-2c', '4c:bb:47:0a:1b:2c'],
    ['4cbb.470a.1b2c', '4c:bb:47:0a:1b:2c'],
    ['4CBB470A1B2C', '4c:bb:47:0a:1b:2c'],
    ['  02:00:00:00:00:01 ', '02:00:00:00:00:01'],
  ])('%j → %s', (input, expected) => {
    expect(normalizeMac(input)).toBe(expected);
  });

  it.each([
    ['', /must not be empty/],
    ['4c:bb:47:0a:1b', /must be a MAC address/],
    ['4c:bb:47:0a:1b:2c:3d', /must be a MAC address/],
    ['4c:bb-47:0a:1b:2c', /must be a MAC address/],
    ['4g:bb:47:0a:1b:2c', /must be a MAC address/],
    ['4cbb470a1b2', /must be a MAC address/],
    ['4c:bb:47:0a:1b:2c; reboot', /must be a MAC address/],
  ])('refuses %j with a clear 400', (input, message) => {
    expect(() => normalizeMac(input)).toThrow(message);
    try {
      normalizeMac(input);
    } catch (e) {
      expect((e as { status: number }).status).toBe(400);
    }
  });

  it('refuses non-strings', () => {
    expect(() => normalizeMac(42)).toThrow(/must be a string/);
    expect(() => normalizeMac(null)).toThrow(/must be a string/);
  });
});

describe('magicPacket', () => {
  it('is 6×0xFF then the MAC 16 times (102 bytes)', () => {
    const p = magicPacket('4c-bb-47-0a-1b-2c');
    expect(p.length).toBe(102);
    expect(MAGIC_PACKET_BYTES).toBe(102);
    expect(p.subarray(0, 6).toString('hex')).toBe('ffffffffffff');
    expect(p.subarray(6).toString('hex')).toBe('4cbb470a1b2c'.repeat(16));
  });

  it('is the same for every spelling of one MAC', () => {
    const a = magicPacket('aa:bb:cc:dd:ee:ff');
    for (const spelling of ['AA-BB-CC-DD-EE-FF', 'aabb.ccdd.eeff', 'aabbccddeeff']) {
      expect(magicPacket(spelling).equals(a)).toBe(true);
    }
  });

  it('refuses an invalid MAC instead of building a packet', () => {
    expect(() => magicPacket('not-a-mac')).toThrow(/must be a MAC address/);
  });

  it('round-trips through macOfMagicPacket for any MAC', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), (bytes) => {
        const mac = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
        expect(macOfMagicPacket(magicPacket(mac))).toBe(mac);
      }),
    );
  });
});

describe('macOfMagicPacket', () => {
  it('rejects what is not a magic packet', () => {
    const good = magicPacket('02:00:00:00:00:01');
    expect(macOfMagicPacket(good.subarray(0, 101))).toBeNull();
    const badHeader = Buffer.from(good);
    badHeader[3] = 0;
    expect(macOfMagicPacket(badHeader)).toBeNull();
    const badRepeat = Buffer.from(good);
    badRepeat[100] = (badRepeat[100] ?? 0) ^ 1;
    expect(macOfMagicPacket(badRepeat)).toBeNull();
  });
});
