import { describe, expect, it } from 'vitest';
import { parseWireguard } from './parse-wireguard.js';

const WG0_LINK =
  '5: wg0: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1420 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/none ';
const WG0_DOWN_LINK =
  '5: wg0: <POINTOPOINT,NOARP> mtu 1420 qdisc noop state DOWN mode DEFAULT group default qlen 1000\\    link/none ';
const ADDR = `1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
2: enP7s7    inet 192.0.2.21/24 metric 100 brd 192.0.2.255 scope global dynamic enP7s7\\       valid_lft 81234sec preferred_lft 81234sec
5: wg0    inet 198.51.100.2/24 scope global wg0\\       valid_lft forever preferred_lft forever
`;
const ADDR_NO_WG = ADDR.split('\n').slice(0, 2).join('\n');
const NULLS = { wg_iface: null, wg_ip: null };

describe('parseWireguard', () => {
  it.each([
    ['wg0 up with an address', WG0_LINK, ADDR, { wg_iface: 'wg0', wg_ip: '198.51.100.2' }],
    ['`type wireguard` unsupported: wg* by name', '', ADDR, { wg_iface: 'wg0', wg_ip: '198.51.100.2' }],
    [
      'non-wg name found through the link type',
      '7: home-vpn: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1420 qdisc noqueue state UNKNOWN\\    link/none ',
      '7: home-vpn    inet 198.51.100.9/32 scope global home-vpn\\       valid_lft forever preferred_lft forever',
      { wg_iface: 'home-vpn', wg_ip: '198.51.100.9' },
    ],
    ['up but no IPv4 yet', WG0_LINK, ADDR_NO_WG, { wg_iface: 'wg0', wg_ip: null }],
    ['interface down', WG0_DOWN_LINK, ADDR, NULLS],
    [
      'a shim that ignored the type filter lists ethernet: ignored',
      '2: enP7s7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP\\    link/ether 4c:bb:47:0a:1b:2c brd ff:ff:ff:ff:ff:ff',
      ADDR_NO_WG,
      NULLS,
    ],
    ['no WireGuard', '', ADDR_NO_WG, NULLS],
    ['empty', '', '', NULLS],
    ['garbage', 'Error: Unknown device type.', 'Command "addr" is unknown, try "ip help".', NULLS],
  ])('%s', (_name, link, addr, expected) => {
    expect(parseWireguard(link, addr)).toEqual(expected);
  });
});
