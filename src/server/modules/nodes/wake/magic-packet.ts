// Wake-on-LAN magic packet (SPEC §3): 6 bytes of 0xFF, then the target's MAC 16 times (102 bytes).
// Pure: the MAC is validated and normalized by the same validator the config and API use.
import { validateMac } from '../../../platform/remote/validators.js';

export const MAGIC_PACKET_BYTES = 6 + 16 * 6;

/** `aa:bb:cc:dd:ee:ff` from any common spelling (colons, dashes, Cisco dots, bare hex); INVALID_INPUT otherwise. */
export function normalizeMac(value: unknown, field = 'mac'): string {
  return validateMac(value, field);
}

/** The 102-byte packet for a MAC in any common spelling. */
export function magicPacket(mac: string): Buffer {
  const bytes = Buffer.from(normalizeMac(mac).replaceAll(':', ''), 'hex');
  const packet = Buffer.alloc(MAGIC_PACKET_BYTES, 0xff);
  for (let i = 0; i < 16; i++) bytes.copy(packet, 6 + i * 6);
  return packet;
}

/** The MAC a magic packet wakes, or null when the bytes are not one (the simulator's listener reads packets with this). */
export function macOfMagicPacket(packet: Uint8Array): string | null {
  if (packet.length !== MAGIC_PACKET_BYTES) return null;
  for (let i = 0; i < 6; i++) if (packet[i] !== 0xff) return null;
  const mac = Buffer.from(packet.subarray(6, 12));
  for (let i = 1; i < 16; i++) {
    if (!mac.equals(Buffer.from(packet.subarray(6 + i * 6, 12 + i * 6)))) return null;
  }
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join(':');
}
