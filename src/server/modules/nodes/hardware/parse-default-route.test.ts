import { describe, expect, it } from 'vitest';
import { parseDefaultRoute } from './parse-default-route.js';

describe('parseDefaultRoute', () => {
  it.each([
    [
      'single DHCP route',
      'default via 192.0.2.1 dev enP7s7 proto dhcp src 192.0.2.21 metric 100 \n',
      'enP7s7',
    ],
    [
      'wired beats Wi-Fi by metric',
      'default via 192.0.2.1 dev wlP9s9 proto dhcp src 192.0.2.40 metric 600 \n' +
        'default via 192.0.2.1 dev enP7s7 proto dhcp src 192.0.2.21 metric 100 \n' +
        'default via 198.51.100.1 dev enp1s0f0np0 proto static metric 200 \n',
      'enP7s7',
    ],
    [
      'no metric counts as 0',
      'default via 192.0.2.1 dev eth1 metric 5\ndefault via 192.0.2.1 dev eth0 \n',
      'eth0',
    ],
    [
      'tie: first line wins',
      'default via 192.0.2.1 dev eth0 metric 100\ndefault via 192.0.2.9 dev eth1 metric 100\n',
      'eth0',
    ],
    ['point-to-point, no gateway', 'default dev wg0 scope link \n', 'wg0'],
    [
      'multipath (-o joins nexthops)',
      'default proto static metric 100 \\\tnexthop via 192.0.2.1 dev eth0 weight 1 \\\tnexthop via 198.51.100.1 dev eth1 weight 1 ',
      'eth0',
    ],
    ['no default route', '', null],
    ['non-default line ignored', '192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2\n', null],
    ['garbage', 'Error: ipv4: FIB table does not exist.\nDump terminated', null],
    ['dev without a name', 'default via 192.0.2.1 dev', null],
  ])('%s', (_name, input, expected) => {
    expect(parseDefaultRoute(input)).toBe(expected);
  });
});
