// Pre-renders what iproute2 prints for a node, one record per interface (or route) and format,
// so the `ip` shim only has to pick and filter lines. Record: `dev<TAB>payload` (routes:
// `dev<TAB>kind<TAB>payload`); newlines inside a payload are stored as \x1f.
import type { HostFacts, Iface, Ipv4 } from './host-facts.js';

const NL = '\x1f';
const DHCP_LIFETIME = 85_631;

function flags(i: Iface): string[] {
  if (i.kind === 'loopback') return ['LOOPBACK', 'UP', 'LOWER_UP'];
  if (i.kind === 'none') return ['POINTOPOINT', 'NOARP', 'UP', 'LOWER_UP'];
  return i.up ? ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'] : ['BROADCAST', 'MULTICAST'];
}

const operstate = (i: Iface): string => (i.kind !== 'ether' ? 'UNKNOWN' : i.up ? 'UP' : 'DOWN');
const linkmode = (i: Iface): string => (i.name.startsWith('wl') && !i.up ? 'DORMANT' : 'DEFAULT');

function linkSecond(i: Iface): string {
  if (i.kind === 'loopback') return '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00';
  if (i.kind === 'none') return '    link/none ';
  return `    link/ether ${i.mac} brd ff:ff:ff:ff:ff:ff`;
}

function header(i: Iface, withMode: boolean): string {
  const mode = withMode ? ` mode ${linkmode(i)}` : '';
  return `${i.index}: ${i.name}: <${flags(i).join(',')}> mtu ${i.mtu} qdisc ${i.qdisc} state ${operstate(i)}${mode} group default qlen 1000`;
}

function toInt(addr: string): number {
  return addr.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}
function toAddr(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}
function network(a: Ipv4): string {
  const size = 2 ** (32 - a.prefix);
  return `${toAddr(Math.floor(toInt(a.addr) / size) * size)}/${a.prefix}`;
}
function broadcast(i: Iface, a: Ipv4): string | undefined {
  if (i.kind !== 'ether') return undefined;
  const size = 2 ** (32 - a.prefix);
  return toAddr(Math.floor(toInt(a.addr) / size) * size + size - 1);
}
const metricOf = (a: Ipv4): number | undefined => (a.dhcp ? 100 : undefined);

function inetLines(i: Iface, a: Ipv4): [string, string] {
  const brd = broadcast(i, a);
  const metric = metricOf(a);
  const parts = [`inet ${a.addr}/${a.prefix}`];
  if (metric !== undefined) parts.push(`metric ${metric}`);
  if (brd) parts.push(`brd ${brd}`);
  parts.push(`scope ${a.scope}`);
  if (a.dhcp) parts.push('dynamic noprefixroute');
  parts.push(i.name);
  const life = a.dhcp ? `${DHCP_LIFETIME}sec` : 'forever';
  return [`    ${parts.join(' ')}`, `       valid_lft ${life} preferred_lft ${life}`];
}

function linkJson(i: Iface): Record<string, unknown> {
  return {
    ifindex: i.index,
    ifname: i.name,
    flags: flags(i),
    mtu: i.mtu,
    qdisc: i.qdisc,
    operstate: operstate(i),
    linkmode: linkmode(i),
    group: 'default',
    txqlen: 1000,
    link_type: i.kind,
    ...(i.kind === 'none'
      ? {}
      : { address: i.mac, broadcast: i.kind === 'ether' ? 'ff:ff:ff:ff:ff:ff' : i.mac }),
  };
}

function addrInfo(i: Iface, a: Ipv4): Record<string, unknown> {
  const life = a.dhcp ? DHCP_LIFETIME : 4294967295;
  const brd = broadcast(i, a);
  return {
    family: 'inet',
    local: a.addr,
    prefixlen: a.prefix,
    ...(metricOf(a) !== undefined ? { metric: metricOf(a) } : {}),
    ...(brd ? { broadcast: brd } : {}),
    scope: a.scope,
    ...(a.dhcp ? { dynamic: true, noprefixroute: true } : {}),
    label: i.name,
    valid_life_time: life,
    preferred_life_time: life,
  };
}

export function renderIpFiles(facts: HostFacts): Record<string, string> {
  const out: Record<string, string[]> = {};
  const add = (file: string, dev: string, payload: string | string[]): void => {
    (out[file] ??= []).push(`${dev}\t${[payload].flat().join(NL)}`);
  };
  for (const i of facts.ifaces) {
    const a = i.ipv4;
    add('link.txt', i.name, [header(i, true), linkSecond(i)]);
    add('link.o', i.name, `${header(i, true)}\\${linkSecond(i)}`);
    add('link.json', i.name, JSON.stringify(linkJson(i)));
    add(
      'link.br',
      i.name,
      `${i.name.padEnd(16)} ${operstate(i).padEnd(14)} ${i.mac ? `${i.mac} ` : ''}<${flags(i).join(',')}> `,
    );
    const inet = a ? inetLines(i, a) : undefined;
    add('addr.txt', i.name, [header(i, false), linkSecond(i), ...(inet ?? [])]);
    add(
      'addr.br',
      i.name,
      `${i.name.padEnd(16)} ${operstate(i).padEnd(14)} ${a ? `${a.addr}/${a.prefix} ` : ''}`,
    );
    const { linkmode: _mode, ...jsonBase } = linkJson(i);
    add('addr.json', i.name, JSON.stringify({ ...jsonBase, addr_info: a ? [addrInfo(i, a)] : [] }));
    if (!a || !inet) continue;
    add('addr.o', i.name, `${i.index}: ${i.name}    ${inet[0].trimStart()}\\${inet[1]}`);
    add('addr4.txt', i.name, [header(i, false), ...inet]);
    add('addr4.json', i.name, JSON.stringify({ ...jsonBase, addr_info: [addrInfo(i, a)] }));
    if (i.kind === 'loopback') continue;
    const metric = metricOf(a);
    if (i.name === facts.defaultIface) {
      const line = `default via ${facts.gateway} dev ${i.name} proto dhcp src ${a.addr} metric ${metric ?? 0} `;
      (out['route.txt'] ??= []).push(`${i.name}\tdefault\t${line}`);
      const json = { dst: 'default', gateway: facts.gateway, dev: i.name, protocol: 'dhcp', prefsrc: a.addr };
      (out['route.json'] ??= []).push(
        `${i.name}\tdefault\t${JSON.stringify({ ...json, metric, flags: [] })}`,
      );
    }
    const m = metric !== undefined ? ` metric ${metric}` : '';
    const net = `${network(a)} dev ${i.name} proto kernel scope link src ${a.addr}${m} `;
    (out['route.txt'] ??= []).push(`${i.name}\tnet\t${net}`);
    const netJson = { dst: network(a), dev: i.name, protocol: 'kernel', scope: 'link', prefsrc: a.addr };
    (out['route.json'] ??= []).push(`${i.name}\tnet\t${JSON.stringify({ ...netJson, metric, flags: [] })}`);
  }
  return Object.fromEntries(Object.entries(out).map(([file, lines]) => [file, `${lines.join('\n')}\n`]));
}
