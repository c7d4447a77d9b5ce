import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { magicPacketMac, SimLan } from './lan.js';

const packet = (mac: string) => {
  const bytes = Buffer.from(mac.replaceAll(':', ''), 'hex');
  return Buffer.concat([Buffer.alloc(6, 0xff), ...Array.from({ length: 16 }, () => bytes)]);
};

const send = async (port: number, data: Buffer) => {
  const s = createSocket('udp4');
  await new Promise<void>((resolve, reject) =>
    s.send(data, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
  );
  s.close();
};

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 300 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('magicPacketMac', () => {
  it('reads the MAC of a magic packet and nothing else', () => {
    expect(magicPacketMac(packet('48:b0:2d:01:02:03'))).toBe('48:b0:2d:01:02:03');
    expect(magicPacketMac(packet('48:b0:2d:01:02:03').subarray(1))).toBeNull();
    const broken = packet('48:b0:2d:01:02:03');
    broken[50] = 0;
    expect(magicPacketMac(broken)).toBeNull();
    expect(magicPacketMac(Buffer.alloc(102, 0xff))).toBe('ff:ff:ff:ff:ff:ff');
  });
});

describe('SimLan', () => {
  let lan: SimLan | undefined;
  afterEach(async () => {
    await lan?.close();
    lan = undefined;
  });

  it('boots an asleep node whose MAC it hears, once for many packets; ignores the rest', async () => {
    const woken: string[] = [];
    const asleep = new Set(['spark2']);
    lan = new SimLan({
      asleepNodeWithMac: (mac) => (mac === '02:00:00:00:00:02' && asleep.has('spark2') ? 'spark2' : null),
      wake: async (node) => {
        asleep.delete(node);
        woken.push(node);
      },
      bootDelayMs: 20,
    });
    await lan.listen();
    expect(lan.address).toBe('127.0.0.1');
    await send(lan.port, Buffer.from('hello'));
    await send(lan.port, packet('02:00:00:00:00:01')); // an awake or unknown machine
    await send(lan.port, packet('02:00:00:00:00:02'));
    await send(lan.port, packet('02:00:00:00:00:02'));
    await until(() => woken.length > 0 && lan!.heard.length >= 4);
    await new Promise((r) => setTimeout(r, 100));
    expect(woken).toEqual(['spark2']);
    expect(lan.heard.map((p) => p.mac)).toEqual([
      null,
      '02:00:00:00:00:01',
      '02:00:00:00:00:02',
      '02:00:00:00:00:02',
    ]);
    expect(lan.heard[0]?.bytes).toBe(5);
  });
});
