// The two ways a magic packet leaves: from a peer Spark over SSH (so it starts on the target's LAN
// segment), and as a UDP broadcast from the control plane. The packet is built here and travels to
// the peer as one hex argument of a constant Python program — never spliced into shell code.
import { createSocket } from 'node:dgram';
import { isIPv4 } from 'node:net';
import { sh, type ShellCommand } from '../../../platform/remote/sh.js';

/**
 * Runs on the peer: checks it got a magic packet, then broadcasts it to each port. python3 is on
 * every DGX OS install; a peer without it answers 127 and the broadcast still goes.
 */
const PEER_SCRIPT = [
  'import socket,sys',
  'p=bytes.fromhex(sys.argv[1])',
  "assert len(p)==102 and p[:6]==b'\\xff'*6, 'not a magic packet'",
  's=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)',
  's.setsockopt(socket.SOL_SOCKET,socket.SO_BROADCAST,1)',
  'for port in sys.argv[3:]: s.sendto(p,(sys.argv[2],int(port)))',
  "print('sent')",
].join('\n');

export function peerWakeCommand(packet: Buffer, address: string, ports: number[]): ShellCommand {
  return sh`python3 -c ${PEER_SCRIPT} ${packet.toString('hex')} ${address} ${ports}`;
}

export const isLoopback = (address: string): boolean => isIPv4(address) && address.startsWith('127.');

export interface BroadcastResult {
  port: number;
  error: string | null;
}

/**
 * One datagram per port from an ephemeral socket. `loopbackOnly` (the simulator) refuses any other
 * address, so a test or a demo can never put a packet on a real network.
 */
export async function broadcastPacket(
  packet: Buffer,
  address: string,
  ports: number[],
  o: { loopbackOnly: boolean },
): Promise<BroadcastResult[]> {
  if (!isIPv4(address)) return ports.map((port) => ({ port, error: `${address} is not an IPv4 address` }));
  if (o.loopbackOnly && !isLoopback(address)) {
    return ports.map((port) => ({ port, error: `the simulator only sends to 127.0.0.0/8, not ${address}` }));
  }
  const socket = createSocket('udp4');
  let socketError: Error | null = null;
  socket.on('error', (e) => (socketError = e));
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.setBroadcast(true);
    const results: BroadcastResult[] = [];
    for (const port of ports) {
      const error = await new Promise<Error | null>((resolve) => socket.send(packet, port, address, resolve));
      results.push({ port, error: error ? error.message : socketError ? String(socketError) : null });
    }
    return results;
  } catch (e) {
    return ports.map((port) => ({ port, error: e instanceof Error ? e.message : String(e) }));
  } finally {
    socket.close();
  }
}
