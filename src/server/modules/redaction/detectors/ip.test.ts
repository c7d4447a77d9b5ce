import { describe, expect, it } from 'vitest';
import { findIps } from './ip.js';
import { matched } from './test-util.js';

describe('findIps', () => {
  it.each([
    ['host 192.0.2.10 up', ['192.0.2.10']],
    ['(203.0.113.1:8080)', ['203.0.113.1']],
    ['255.255.255.255.', ['255.255.255.255']],
    ['cidr 192.0.2.0/24', ['192.0.2.0']],
    ['v6 fe80::1 and ::1.', ['fe80::1', '::1']],
    ['[2001:db8:85a3::8a2e:370:7334]:443', ['2001:db8:85a3::8a2e:370:7334']],
    ['full 2001:0db8:0000:0000:0000:ff00:0042:8329', ['2001:0db8:0000:0000:0000:ff00:0042:8329']],
    ['mapped ::ffff:192.0.2.1 end', ['::ffff:192.0.2.1']],
    ['e7af:dda7:5d9f:ed2e:9c85:dc0d:7bd7:dd0e', ['e7af:dda7:5d9f:ed2e:9c85:dc0d:7bd7:dd0e']],
    ['accepted: a 4-part version 1.2.3.4', ['1.2.3.4']],
  ])('finds %j', (text, want) => {
    expect(matched(findIps, text).sort()).toEqual([...want].sort());
  });

  it.each([
    ['3-part version', 'version 1.2.3'],
    ['v-prefixed version', 'v1.2.3.4'],
    ['5-part run', '1.2.3.4.5'],
    ['octet over 255', '256.1.1.1'],
    ['time', 'at 12:30:45 today'],
    ['MAC address', '00:1a:2b:3c:4d:5e'],
    ['C++ scope', 'std::vector and Foo::Bar, dead::beef'],
    ['ratio', '16:9'],
    ['decimal', '3.14159'],
  ])('leaves %s', (_why, text) => {
    expect(findIps(text)).toEqual([]);
  });
});
