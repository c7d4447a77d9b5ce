// A blank or malformed optional number falls back to its default with a warning instead of
// crashing start-up (the original crashed on a blank VLLM_PORT).

export interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
}

/** Returns the parsed number, or undefined (and records a warning) when the value is unusable. */
export function optionalNumber(
  raw: unknown,
  field: string,
  rule: NumberRule,
  warnings: string[],
): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string' && raw.trim() === '') {
    warnings.push(`${field} is blank; using the default`);
    return undefined;
  }
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : NaN;
  const bad =
    !Number.isFinite(n) ||
    (rule.integer === true && !Number.isInteger(n)) ||
    (rule.min !== undefined && n < rule.min) ||
    (rule.max !== undefined && n > rule.max);
  if (bad) {
    warnings.push(`${field} has an unusable value ${JSON.stringify(raw)}; using the default`);
    return undefined;
  }
  return n;
}
