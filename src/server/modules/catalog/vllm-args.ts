// The one reader of vLLM's command line. vLLM's FlexibleArgumentParser rewrites every long flag
// before argparse sees it: underscores in the name (up to the first `.`, where a dotted JSON key
// begins) become dashes, so `--max_num-batched_tokens` is `--max-num-batched-tokens`; `--flag=value`
// and `--flag value` are the same; the last occurrence wins. Everything that reads or rewrites a
// model's args (knobs, the served name, pre-flight checks) goes through here so none of them
// disagrees with vLLM. A flag we do not know is left exactly where it was. Pure, no I/O.

/** A long flag split into its canonical name (`--a-b`) and an inline `=value`, if any. */
export interface FlagToken {
  name: string;
  inline: string | undefined;
}

/**
 * The name vLLM gives a long flag: `--a_b` → `--a-b`, `--a_b.c_d` → `--a-b.c_d` (a dotted key is
 * JSON and keeps its underscores). Anything that is not a long flag is returned unchanged.
 */
export function canonicalFlag(name: string): string {
  if (!name.startsWith('--')) return name;
  const dot = name.indexOf('.', 2);
  const head = dot < 0 ? name : name.slice(0, dot);
  return `--${head.slice(2).replaceAll('_', '-')}${dot < 0 ? '' : name.slice(dot)}`;
}

/** A `--flag` or `--flag=value` token, read as vLLM reads it; null for anything else. */
export function parseFlag(token: string): FlagToken | null {
  if (!token.startsWith('--') || token.length < 3) return null;
  const eq = token.indexOf('=');
  const name = canonicalFlag(eq < 0 ? token : token.slice(0, eq));
  return { name, inline: eq < 0 ? undefined : token.slice(eq + 1) };
}

/** argparse takes `-1` or `-.5` as a value, but any other token starting with `-` as an option. */
const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/;

/** True when argparse would take `token` as the value of the option before it. */
export const isValueToken = (token: string): boolean => !token.startsWith('-') || NEGATIVE_NUMBER.test(token);

/** One flag with its value (or one untouched token) and the original tokens it came from. */
export interface ArgSegment {
  /** Canonical flag name when it is one of the flags asked about, else null. */
  flag: string | null;
  value: string | null;
  tokens: string[];
}

/**
 * Groups args into segments. Only flags in `valueFlags` consume a value (the next token unless
 * argparse would read it as an option); flags in `switches` stand alone. Everything else is one
 * segment per token, so re-joining the segments always reproduces the input. Names in both sets
 * are given canonically (`--a-b`).
 */
export function segmentArgs(
  args: readonly string[],
  valueFlags: ReadonlySet<string>,
  switches: ReadonlySet<string> = new Set(),
): ArgSegment[] {
  const out: ArgSegment[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    const f = parseFlag(token);
    if (f && valueFlags.has(f.name)) {
      if (f.inline !== undefined) {
        out.push({ flag: f.name, value: f.inline, tokens: [token] });
        continue;
      }
      const next = args[i + 1];
      if (next !== undefined && isValueToken(next)) {
        out.push({ flag: f.name, value: next, tokens: [token, next] });
        i++;
      } else {
        out.push({ flag: f.name, value: null, tokens: [token] });
      }
    } else if (f && f.inline === undefined && switches.has(f.name)) {
      out.push({ flag: f.name, value: null, tokens: [token] });
    } else {
      out.push({ flag: null, value: null, tokens: [token] });
    }
  }
  return out;
}

/**
 * The value vLLM would see for a flag that takes one, or null when it is absent or has no value.
 * `flag` may be spelled either way (`--max_model_len` asks for `--max-model-len`); the last
 * occurrence with a value wins, as in argparse.
 */
export function flagValue(args: readonly string[], flag: string): string | null {
  const name = canonicalFlag(flag);
  let found: string | null = null;
  for (const s of segmentArgs(args, new Set([name])))
    if (s.flag === name && s.value !== null) found = s.value;
  return found;
}

/** True when any spelling of `flag` appears, with or without a value. */
export function hasFlag(args: readonly string[], flag: string): boolean {
  const name = canonicalFlag(flag);
  return args.some((a) => parseFlag(a)?.name === name);
}
