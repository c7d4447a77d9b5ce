// Strict number reading for tool output. `Number('')` is 0 and `parseFloat('12abc')` is 12; both
// would turn a blank or garbled field into a plausible-looking reading, so only whole numeric
// tokens count. nvidia-smi's `[N/A]`, `[Not Supported]`, `ERR!` and friends become null.

const NUMERIC = /^-?\d+(?:\.\d+)?$/;
const INTEGER = /^\d+$/;

export const MIB = 1024 * 1024;

/** A finite number from a trimmed token, or null for anything that is not plainly numeric. */
export function toNumber(token: string | undefined): number | null {
  const t = token?.trim() ?? '';
  if (!NUMERIC.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** A non-negative safe integer, or null. */
export function toCount(token: string | undefined): number | null {
  const t = token?.trim() ?? '';
  if (!INTEGER.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : null;
}

/** Non-empty, trimmed lines (also drops the `\r` of CRLF output). */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}
