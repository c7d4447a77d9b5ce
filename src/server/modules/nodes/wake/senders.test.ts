import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { runShellSandboxed } from '../../../../../test/helpers/unit.js';
import { magicPacket } from './magic-packet.js';
import { broadcastPacket, isLoopback, peerWakeCommand } from './senders.js';

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

/** A UDP receiver on loopback that collects every datagram it gets. */
async function receiver(address = '127.0.0.1'): Promise<{ port: number; got: Buffer[] }> {
  const s = createSocket('udp4');
  sockets.push(s);
  const got: Buffer[] = [];
  s.on('message', (m) => got.push(m));
  s.bind(0, address);
  await once(s, 'listening');
  return { port: s.address().port, got };
}

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('broadcastPacket', () => {
  it('sends the 102 bytes to each port of a loopback address', async () => {
    const a = await receiver('127.0.0.1');
    const b = await receiver('127.0.0.1');
    const packet = magicPacket('02:00:00:00:00:01');
    const r = await broadcastPacket(packet, '127.0.0.1', [a.port, b.port], { loopbackOnly: true });
    expect(r).toEqual([
      { port: a.port, error: null },
      { port: b.port, error: null },
    ]);
    await until(() => a.got.length > 0 && b.got.length > 0);
    expect(a.got.map((m) => m.equals(packet))).toEqual([true]);
    expect(b.got.map((m) => m.equals(packet))).toEqual([true]);
  });

  it('refuses any address outside 127.0.0.0/8 when loopback only, without sending', async () => {
    const r = await broadcastPacket(magicPacket('02:00:00:00:00:01'), '255.255.255.255', [9, 7], {
      loopbackOnly: true,
    });
    expect(r.map((x) => x.port)).toEqual([9, 7]);
    for (const x of r) expect(x.error).toMatch(/only sends to 127\.0\.0\.0\/8/);
  });

  it('reports a non-IPv4 address as an error per port', async () => {
    const r = await broadcastPacket(magicPacket('02:00:00:00:00:01'), 'spark1.local', [9], {
      loopbackOnly: false,
    });
    expect(r[0]?.error).toMatch(/not an IPv4 address/);
  });

  it('isLoopback accepts only 127.x IPv4', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('127.255.0.9')).toBe(true);
    expect(isLoopback('128.0.0.1')).toBe(false);
    expect(isLoopback('127.0.0.1.example')).toBe(false);
  });
});

describe('peerWakeCommand', () => {
  it('passes the packet as one hex word and sends it with python3 (real bash, loopback)', async () => {
    const rx = await receiver();
    const packet = magicPacket('48:b0:2d:00:11:22');
    const cmd = peerWakeCommand(packet, '127.0.0.1', [rx.port]);
    expect(cmd.text).toContain(packet.toString('hex'));
    const r = runShellSandboxed(cmd.text);
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.toString().trim()).toBe('sent');
    await until(() => rx.got.length > 0);
    expect(rx.got.length).toBe(1);
    expect(rx.got[0]?.equals(packet)).toBe(true);
  });

  it('refuses to send bytes that are not a magic packet', () => {
    const cmd = peerWakeCommand(Buffer.alloc(102, 0), '127.0.0.1', [9]);
    const r = runShellSandboxed(cmd.text);
    expect(r.status).not.toBe(0);
    expect(r.stderr.toString()).toMatch(/not a magic packet/);
  });

  it('without python3 on PATH the shell says so with status 127', () => {
    const cmd = peerWakeCommand(magicPacket('02:00:00:00:00:01'), '127.0.0.1', [9]);
    const r = runShellSandboxed(cmd.text, { env: { PATH: '/nonexistent' }, shell: '/bin/bash' });
    expect(r.status).toBe(127);
    expect(r.stderr.toString()).toMatch(/python3: command not found/);
  });
});
