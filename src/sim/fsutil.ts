// Small file helpers. The shims read the simulator's state files concurrently from many bash
// processes, so every write goes to a temp file first and is renamed into place (atomic on POSIX).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

let seq = 0;

export function writeAtomic(path: string, data: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${seq++}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Quotes a value for a bash `.`-sourced assignment file. */
export function shq(value: string | number | boolean): string {
  return `'${String(value).replace(/'/g, `'\\''`)}'`;
}

/** `KEY='value'` lines that the shims source with `.`. */
export function envFile(vars: Record<string, string | number | boolean>): string {
  return (
    Object.entries(vars)
      .map(([k, v]) => `${k}=${shq(v)}`)
      .join('\n') + '\n'
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
