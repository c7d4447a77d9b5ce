// /proc/loadavg → the 1, 5 and 15 minute load averages.
import { toNumber } from './numbers.js';

export interface LoadAvg {
  load1: number | null;
  load5: number | null;
  load15: number | null;
}

export function parseLoadavg(text: string): LoadAvg {
  // "0.52 0.58 0.59 1/1234 56789": the 4th field (runnable/total tasks) must be there too, so a
  // stray line of three numbers is not mistaken for a load average.
  const m = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+\d+\/\d+\b/.exec(text);
  const [load1, load5, load15] = [toNumber(m?.[1]), toNumber(m?.[2]), toNumber(m?.[3])];
  if (load1 === null || load5 === null || load15 === null) return { load1: null, load5: null, load15: null };
  return { load1, load5, load15 };
}
