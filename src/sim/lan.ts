// The simulated LAN as Wake-on-LAN sees it: one UDP listener on 127.0.0.1 stands for "the broadcast
// domain". Everything a simulated Spark's python3 sends over UDP lands here (shims/bin/python3), and
// the control plane's broadcast is pointed here in the simulator, so no packet ever leaves loopback.
// A magic packet naming an asleep (down) node's MAC brings that node back after a boot delay.
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';

/** One datagram the LAN heard; `mac` is null when it was not a magic packet. */
export interface LanPacket {
  at: number;
  mac: string | null;
  bytes: number;
}

/** The MAC a 102-byte magic packet (6×0xFF + 16×MAC) names, or null. Written apart from the server's on purpose. */
export function magicPacketMac(b: Buffer): string | null {
  if (b.length !== 102 || !b.subarray(0, 6).equals(Buffer.alloc(6, 0xff))) return null;
  const mac = b.subarray(6, 12);
  for (let off = 12; off < 102; off += 6) if (!b.subarray(off, off + 6).equals(mac)) return null;
  return [...mac].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

export interface SimLanOptions {
  /** The node with this MAC, if it is asleep (down); null when it is up or unknown. */
  asleepNodeWithMac(mac: string): string | null;
  /** Powers the node on (its sshd comes back). */
  wake(node: string): Promise<void>;
  /** How long a woken node takes to boot (ms). */
  bootDelayMs: number;
}

export class SimLan {
  readonly address = '127.0.0.1';
  port = 0;
  readonly heard: LanPacket[] = [];
  private readonly socket: Socket = createSocket('udp4');
  private readonly booting = new Map<string, NodeJS.Timeout>();

  constructor(private readonly o: SimLanOptions) {
    this.socket.on('message', (msg) => this.onPacket(msg));
    this.socket.on('error', () => {});
  }

  async listen(): Promise<void> {
    this.socket.bind(0, this.address);
    await once(this.socket, 'listening');
    this.port = this.socket.address().port;
  }

  private onPacket(msg: Buffer): void {
    const mac = magicPacketMac(msg);
    this.heard.push({ at: Date.now(), mac, bytes: msg.length });
    if (this.heard.length > 200) this.heard.shift();
    if (!mac) return;
    const node = this.o.asleepNodeWithMac(mac);
    // Woken twice while booting: it boots once.
    if (!node || this.booting.has(node)) return;
    const timer = setTimeout(() => {
      this.booting.delete(node);
      // The simulation may be stopping; a node that cannot come back just stays down.
      this.o.wake(node).catch(() => undefined);
    }, this.o.bootDelayMs);
    this.booting.set(node, timer);
  }

  async close(): Promise<void> {
    for (const t of this.booting.values()) clearTimeout(t);
    this.booting.clear();
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
