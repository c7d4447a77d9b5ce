// `nvidia-smi --query-gpu=name,utilization.gpu,temperature.gpu,power.draw,memory.total,memory.used
//  --format=csv,noheader,nounits` → the first GPU's reading.
import { MIB, lines, toNumber } from './numbers.js';

export interface NvidiaSmiGpu {
  name: string;
  util_pct: number | null;
  temp_c: number | null;
  power_w: number | null;
  /** Bytes; null on GB10, where unified memory makes nvidia-smi print `[N/A]`. */
  mem_total: number | null;
  /** Bytes; null on GB10 for the same reason. */
  mem_used: number | null;
}

const FIELDS_AFTER_NAME = 5;

/** Null when there is no GPU line (no nvidia-smi, "No devices were found", a driver error message). */
export function parseNvidiaSmiGpu(text: string): NvidiaSmiGpu | null {
  // One line per GPU. A node has one GB10; a multi-GPU box is shown by its first GPU.
  const first = lines(text)[0];
  if (first === undefined) return null;
  const fields = first.split(',').map((f) => f.trim());
  // Error text like "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."
  // has no commas, so the field count is what tells a reading from a complaint.
  if (fields.length < FIELDS_AFTER_NAME + 1) return null;
  const numbers = fields.slice(-FIELDS_AFTER_NAME);
  const name = fields.slice(0, fields.length - FIELDS_AFTER_NAME).join(', ');
  if (name === '' || name.startsWith('[')) return null;
  const [util, temp, power, total, used] = numbers.map(toNumber);
  return {
    name,
    util_pct: util ?? null,
    temp_c: temp ?? null,
    power_w: power ?? null,
    mem_total: total == null ? null : total * MIB,
    mem_used: used == null ? null : used * MIB,
  };
}
