import { describe, expect, it } from 'vitest';
import { parseMac } from './parse-mac.js';

describe('parseMac', () => {
  it.each([
    ['/sys address file', '4c:bb:47:0a:1b:2c\n', '4c:bb:47:0a:1b:2c'],
    ['uppercase is normalized', '4C:BB:47:0A:1B:2C', '4c:bb:47:0a:1b:2c'],
    ['dash form is normalized', '4c-bb-47-0a-1b-2c', '4c:bb:47:0a:1b:2c'],
    [
      'ip -o link line: the link/ether address, not brd',
      '2: enP7s7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP mode DEFAULT group default qlen 1000\\    link/ether 4c:bb:47:0a:1b:2c brd ff:ff:ff:ff:ff:ff',
      '4c:bb:47:0a:1b:2c',
    ],
    ['all zeros', '00:00:00:00:00:00\n', null],
    [
      'loopback link line',
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
      null,
    ],
    ['broadcast', 'ff:ff:ff:ff:ff:ff', null],
    ['multicast bit set', '01:00:5e:00:00:fb', null],
    ['WireGuard has no address (empty /sys file)', '\n', null],
    [
      'WireGuard link line',
      '5: wg0: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1420 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/none ',
      null,
    ],
    ['mixed separators', '4c:bb-47:0a:1b:2c', null],
    ['too short', '4c:bb:47:0a:1b', null],
    ['empty', '', null],
    ['garbage', 'Device "eth9" does not exist.', null],
  ])('%s', (_name, input, expected) => {
    expect(parseMac(input)).toBe(expected);
  });
});
