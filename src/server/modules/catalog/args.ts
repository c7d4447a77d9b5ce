// How vLLM's command line is read back. vLLM's FlexibleArgumentParser treats `--a_b` like `--a-b`
// and accepts `--flag=value` as well as `--flag value`, so every reader here does the same; a flag
// we do not know is left exactly where it was.

/** A long flag split into its canonical name (`--a-b`) and an inline `=value`, if any. */
export interface FlagToken {
  name: string;
  inline: string | undefined;
}

export function parseFlag(token: string): FlagToken | null {
  if (!token.startsWith('--') || token.length < 3) return null;
  const eq = token.indexOf('=');
  const name = (eq < 0 ? token : token.slice(0, eq)).replaceAll('_', '-');
  return { name, inline: eq < 0 ? undefined : token.slice(eq + 1) };
}

/** One flag with its value (or one untouched token) and the original tokens it came from. */
export interface ArgSegment {
  /** Canonical flag name when it is one of the flags asked about, else null. */
  flag: string | null;
  value: string | null;
  tokens: string[];
}

/**
 * Groups args into segments. Only flags in `valueFlags` consume a value (the next token unless it
 * is itself a long flag); flags in `switches` stand alone. Everything else is one segment per
 * token, so re-joining the segments always reproduces the input.
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
      if (next !== undefined && !next.startsWith('--')) {
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

/** The value of the last occurrence of a value flag (argparse semantics: last one wins). */
export function lastValue(args: readonly string[], flag: string): string | null {
  let found: string | null = null;
  for (const s of segmentArgs(args, new Set([flag])))
    if (s.flag === flag && s.value !== null) found = s.value;
  return found;
}

/** True when any spelling of `flag` appears, with or without a value. */
export function hasFlag(args: readonly string[], flag: string): boolean {
  return args.some((a) => parseFlag(a)?.name === flag);
}
