// Python argparse as vLLM drives it, over the flag table in flags.ts: FlexibleArgumentParser's
// preprocessing (underscores → dashes in option names, `-O3`, `--json-flag.key value`), then
// argparse's own matching (exact, `--flag=value`, unique abbreviations, `--no-` negations, nargs),
// type checks and its exact error texts. Two front ends: `vllm serve …` (the CLI; a parse error is
// reported by the serve subparser, leftovers by the top-level `vllm` parser) and a parser built by
// `make_arg_parser(FlexibleArgumentParser(prog=…))` in a script (the control plane's pre-flight).
import { DEFAULT_MODEL, MODEL_TAG, VLLM_SERVE_FLAGS, VLLM_SUBCOMMANDS, type VllmFlag } from './flags.js';

export interface ParsedArgs {
  /** Values by dest for every option given (after conversion), plus model_tag when present. */
  values: Record<string, unknown>;
  /** Dests in the order they were given (vLLM's "non-default args" line). */
  given: string[];
  /** The model to serve: model_tag, else --model, else vLLM's default. */
  model: string;
  /** FlexibleArgumentParser's warnings (e.g. `--model` with `vllm serve`). */
  warnings: string[];
}

export type ParseResult =
  { ok: true; args: ParsedArgs } | { ok: false; code: number; stdout?: string; stderr: string };

export const TOP_USAGE = `usage: vllm [-h] [-v] {${VLLM_SUBCOMMANDS.join(',')}} ...`;
export const SERVE_USAGE = 'usage: vllm serve [model_tag] [options]';

class ArgError extends Error {}

const byName = new Map<string, VllmFlag>();
const negations = new Map<string, VllmFlag>();
for (const f of VLLM_SERVE_FLAGS) {
  for (const n of f.names) byName.set(n, f);
  if (f.kind === 'bool') negations.set(`--no-${f.names[0]?.slice(2)}`, f);
}
const allOptionStrings = [...byName.keys(), ...negations.keys()];

/** argparse's name for an action in messages: its option strings joined with '/'. */
const actionName = (f: VllmFlag): string =>
  f.kind === 'bool' ? `${f.names[0]}/--no-${f.names[0]?.slice(2)}` : f.names.join('/');

const pyRepr = (s: string): string =>
  s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s.replace(/'/g, "\\'")}'`;

/** vllm.engine.arg_utils.human_readable_int: 1k = 1000, 1K = 1024, 25.6k = 25600. */
export function humanReadableInt(value: string): number | undefined {
  const v = value.trim();
  const m = /^(\d+(?:\.\d+)?)([kKmMgGtT])$/.exec(v);
  if (m) {
    const n = Number(m[1]);
    const dec: Record<string, number> = { k: 1e3, m: 1e6, g: 1e9, t: 1e12 };
    const bin: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };
    const suffix = m[2] ?? '';
    if (suffix in dec) return Math.floor(n * (dec[suffix] ?? 1));
    if (!Number.isInteger(n)) return undefined;
    return n * (bin[suffix] ?? 1);
  }
  return /^[-+]?\d+$/.test(v) ? Number(v) : undefined;
}

function convert(f: VllmFlag, raw: string): unknown {
  const fail = (msg: string): never => {
    throw new ArgError(`argument ${actionName(f)}: ${msg}`);
  };
  if (f.choices) {
    const v = f.dest === 'moe_backend' ? raw.toLowerCase().replace(/-/g, '_') : raw;
    if (!f.choices.includes(v)) {
      const numeric = f.choices.every((c) => c === 'None' || /^\d+$/.test(c));
      const show = (c: string): string => (numeric && c !== 'None' ? c : pyRepr(c));
      fail(
        `invalid choice: ${numeric && /^\d+$/.test(raw) ? raw : pyRepr(raw)} (choose from ${f.choices.map(show).join(', ')})`,
      );
    }
    return /^\d+$/.test(v) ? Number(v) : v;
  }
  switch (f.type) {
    case 'int':
      if (!/^\s*[-+]?\d+\s*$/.test(raw)) fail(`invalid int value: ${pyRepr(raw)}`);
      return Number(raw);
    case 'float':
      if (raw.trim() === '' || !Number.isFinite(Number(raw))) fail(`invalid float value: ${pyRepr(raw)}`);
      return Number(raw);
    case 'hint': {
      const n = humanReadableInt(raw);
      if (n === undefined)
        fail(`Value ${raw} cannot be converted to <function human_readable_int at 0x7f3b2c1e4ae0>.`);
      return n;
    }
    case 'json':
      try {
        return JSON.parse(raw);
      } catch {
        return fail(`Value ${raw} cannot be converted to <function loads at 0x7f3b2d6a1c60>.`);
      }
    default:
      return raw;
  }
}

/** FlexibleArgumentParser.parse_args preprocessing (vllm/utils/argparse_utils.py). */
function flexible(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const key = eq >= 0 ? arg.slice(0, eq) : arg;
      const dot = key.indexOf('.', 2);
      const name = (dot >= 0 ? key.slice(0, dot) : key).replace(/_/g, '-');
      out.push(name + (dot >= 0 ? key.slice(dot) : '') + (eq >= 0 ? arg.slice(eq) : ''));
    } else if (arg.startsWith('-O') && arg !== '-O' && arg[2] !== '.') {
      out.push(`-O.level=${arg[2] === '=' ? arg.slice(3) : arg.slice(2)}`);
    } else if (arg === '-O' && /^[0-3]$/.test(args[i + 1] ?? '')) {
      out.push('-O.level');
    } else out.push(arg);
  }
  // Dotted JSON arguments (`--compilation-config.level 3`) become one `--flag <json>` at the end.
  const dict = new Map<string, Record<string, unknown>>();
  const kept: string[] = [];
  for (let i = 0; i < out.length; i++) {
    const a = out[i] ?? '';
    const eq = a.indexOf('=');
    const key = eq >= 0 ? a.slice(0, eq) : a;
    if (!a.startsWith('-') || !key.includes('.')) {
      kept.push(a);
      continue;
    }
    const value = eq >= 0 ? a.slice(eq + 1) : (out[++i] ?? '');
    const [flag = '', ...path] = key.split('.');
    let parsed: unknown = value;
    try {
      parsed = JSON.parse(value);
    } catch {
      // a plain string value
    }
    let node = dict.get(flag) ?? {};
    dict.set(flag, node);
    path.forEach((k, j) => {
      if (j === path.length - 1) node[k] = parsed;
      else node = (node[k] ??= {}) as Record<string, unknown>;
    });
  }
  for (const [flag, value] of dict) kept.push(flag, JSON.stringify(value));
  return kept;
}

type Match = { flag: VllmFlag; negated: boolean; explicit?: string };

/** argparse's _parse_optional: an option match, null for a positional, 'unknown' for an unknown option. */
function matchOptional(arg: string): Match | null | 'unknown' {
  if (!arg.startsWith('-') || arg === '-') return null;
  const exact = byName.get(arg);
  if (exact) return { flag: exact, negated: false };
  const neg = negations.get(arg);
  if (neg) return { flag: neg, negated: true };
  const eq = arg.indexOf('=');
  if (eq > 0) {
    const name = arg.slice(0, eq);
    const f = byName.get(name) ?? negations.get(name);
    if (f) return { flag: f, negated: negations.has(name), explicit: arg.slice(eq + 1) };
  }
  // Unique prefixes (allow_abbrev) and single-dash short options with an attached value (-n2).
  const prefix = eq > 0 ? arg.slice(0, eq) : arg;
  const hits = new Map<string, Match>();
  for (const o of allOptionStrings) {
    const f = byName.get(o) ?? negations.get(o);
    if (!f) continue;
    if (arg.startsWith('--') && o.startsWith(prefix)) {
      hits.set(o, { flag: f, negated: negations.has(o), explicit: eq > 0 ? arg.slice(eq + 1) : undefined });
    } else if (!arg.startsWith('--') && o === arg.slice(0, 2)) {
      hits.set(o, { flag: f, negated: false, explicit: arg.slice(2) });
    } else if (!arg.startsWith('--') && o.startsWith(prefix) && o !== prefix) {
      hits.set(o, { flag: f, negated: false });
    }
  }
  if (hits.size > 1)
    throw new ArgError(`ambiguous option: ${prefix} could match ${[...hits.keys()].join(', ')}`);
  const only = [...hits.values()][0];
  if (only) return only;
  if (/^-\d+$|^-\d*\.\d+$/.test(arg)) return null; // a negative number is a value
  if (arg.includes(' ')) return null;
  return 'unknown';
}

/** argparse parse_known_args over serve's options; throws ArgError, returns leftovers in `extras`. */
function parseKnown(argv: string[]): { values: Record<string, unknown>; given: string[]; extras: string[] } {
  const values: Record<string, unknown> = {};
  const given: string[] = [];
  const extras: string[] = [];
  const kinds = argv.map((a, i) => (argv.slice(0, i).includes('--') ? null : matchOptional(a)));
  const isValue = (i: number): boolean => i < argv.length && kinds[i] === null && argv[i] !== '--';
  let tagPending = true;
  const note = (dest: string): void => {
    if (!given.includes(dest)) given.push(dest);
  };
  for (let i = 0; i < argv.length;) {
    const a = argv[i] ?? '';
    const k = kinds[i];
    if (a === '--' && !argv.slice(0, i).includes('--')) {
      i += 1;
      continue;
    }
    if (k === null || k === undefined) {
      if (tagPending) {
        values[MODEL_TAG] = a;
        note(MODEL_TAG);
        tagPending = false;
      } else extras.push(a);
      i += 1;
      continue;
    }
    if (k === 'unknown') {
      extras.push(a);
      i += 1;
      continue;
    }
    const { flag: f, negated, explicit } = k;
    i += 1;
    if (f.kind === 'bool' || f.kind === 'store_true') {
      if (explicit !== undefined)
        throw new ArgError(`argument ${actionName(f)}: ignored explicit argument ${pyRepr(explicit)}`);
      values[f.dest] = !negated;
    } else if (f.kind === 'list') {
      const items: string[] = explicit !== undefined ? [explicit] : [];
      while (explicit === undefined && isValue(i)) items.push(argv[i++] ?? '');
      if (items.length === 0) throw new ArgError(`argument ${actionName(f)}: expected at least one argument`);
      values[f.dest] = items.map((v) => convert(f, v));
    } else if (f.kind === 'optional') {
      if (explicit !== undefined) values[f.dest] = explicit;
      else if (isValue(i)) values[f.dest] = argv[i++];
      else values[f.dest] = true;
    } else {
      let raw = explicit;
      if (raw === undefined) {
        if (!isValue(i)) throw new ArgError(`argument ${actionName(f)}: expected one argument`);
        raw = argv[i++] ?? '';
      }
      const v = convert(f, raw);
      values[f.dest] = f.kind === 'append' ? [...((values[f.dest] as unknown[]) ?? []), v] : v;
    }
    note(f.dest);
  }
  return { values, given, extras };
}

function finish(values: Record<string, unknown>, given: string[], warnings: string[]): ParsedArgs {
  const tag = values[MODEL_TAG];
  const model =
    typeof tag === 'string' ? tag : typeof values.model === 'string' ? values.model : DEFAULT_MODEL;
  if (typeof tag === 'string') values.model = tag;
  return { values, given, model, warnings };
}

/** `vllm <argv…>` as the CLI sees it (vllm/entrypoints/cli/main.py): version, help, serve. */
export function parseVllmCli(argv: string[], version: string): ParseResult {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    return {
      ok: false,
      code: 0,
      stdout: `${TOP_USAGE}\n\nvLLM CLI\n\npositional arguments:\n  {${VLLM_SUBCOMMANDS.join(',')}}\n`,
      stderr: '',
    };
  }
  if (sub === '-v' || sub === '--version') return { ok: false, code: 0, stdout: `${version}\n`, stderr: '' };
  if (!VLLM_SUBCOMMANDS.includes(sub)) {
    const choices = VLLM_SUBCOMMANDS.map(pyRepr).join(', ');
    return {
      ok: false,
      code: 2,
      stderr: `${TOP_USAGE}\nvllm: error: argument subparser: invalid choice: ${pyRepr(sub)} (choose from ${choices})\n`,
    };
  }
  if (sub !== 'serve') {
    return {
      ok: false,
      code: 1,
      stderr: `vllm ${sub}: not available in the simulated vllm-node container\n`,
    };
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    return { ok: false, code: 0, stdout: `${SERVE_USAGE}\n\n${helpText()}`, stderr: '' };
  }
  const warnings = rest.includes('--model')
    ? [
        'With `vllm serve`, you should provide the model as a positional argument or in a config file instead of via the `--model` option. The `--model` option will be removed in v0.13.',
      ]
    : [];
  try {
    const { values, given, extras } = parseKnown(flexible(rest));
    if (extras.length > 0) {
      return {
        ok: false,
        code: 2,
        stderr: `${TOP_USAGE}\nvllm: error: unrecognized arguments: ${extras.join(' ')}\n`,
      };
    }
    return { ok: true, args: finish(values, given, warnings) };
  } catch (err) {
    if (!(err instanceof ArgError)) throw err;
    return { ok: false, code: 2, stderr: `${SERVE_USAGE}\nvllm serve: error: ${err.message}\n` };
  }
}

/** `make_arg_parser(FlexibleArgumentParser(prog=prog)).parse_args(argv)` in a script. */
export function parseWithParser(argv: string[], prog: string): ParseResult {
  const usage = formatUsage(prog);
  if (argv.includes('-h') || argv.includes('--help')) {
    return { ok: false, code: 0, stdout: `${usage}\n\n${helpText()}`, stderr: '' };
  }
  try {
    const { values, given, extras } = parseKnown(flexible(argv));
    if (extras.length > 0) {
      return {
        ok: false,
        code: 2,
        stderr: `${usage}\n${prog}: error: unrecognized arguments: ${extras.join(' ')}\n`,
      };
    }
    return { ok: true, args: finish(values, given, []) };
  } catch (err) {
    if (!(err instanceof ArgError)) throw err;
    return { ok: false, code: 2, stderr: `${usage}\n${prog}: error: ${err.message}\n` };
  }
}

function usagePart(f: VllmFlag): string {
  const name = f.names[0] ?? '';
  const meta = f.choices ? `{${f.choices.join(',')}}` : f.dest.toUpperCase();
  switch (f.kind) {
    case 'bool':
      return `[${name} | --no-${name.slice(2)}]`;
    case 'store_true':
      return `[${name}]`;
    case 'list':
      return `[${name} ${meta} [${meta} ...]]`;
    case 'optional':
      return `[${name} [${meta}]]`;
    default:
      return `[${name} ${meta}]`;
  }
}

/** argparse's auto-generated usage, wrapped the way HelpFormatter wraps it (80 columns, no tty). */
export function formatUsage(prog: string, width = 78): string {
  const prefix = 'usage: ';
  const opts = ['[-h]', ...VLLM_SERVE_FLAGS.map(usagePart)];
  const pos = [`[${MODEL_TAG}]`];
  const flat = `${prefix}${[prog, ...opts, ...pos].join(' ')}`;
  if (flat.length <= width) return flat;
  const indent = ' '.repeat(prefix.length + prog.length + 1);
  const lines = (parts: string[], withPrefix: boolean): string[] => {
    const out: string[] = [];
    let line: string[] = [];
    let len = withPrefix ? prefix.length - 1 : indent.length - 1;
    for (const part of parts) {
      if (len + 1 + part.length > width && line.length > 0) {
        out.push(indent + line.join(' '));
        line = [];
        len = indent.length - 1;
      }
      line.push(part);
      len += part.length + 1;
    }
    if (line.length > 0) out.push(indent + line.join(' '));
    if (withPrefix && out[0] !== undefined) out[0] = out[0].slice(indent.length);
    return out;
  };
  const all = [...lines([prog, ...opts], true), ...lines(pos, false)];
  return `${prefix}${all.join('\n')}`;
}

function helpText(): string {
  const groups = new Map<string, string[]>();
  for (const f of VLLM_SERVE_FLAGS) {
    const list = groups.get(f.group) ?? [];
    list.push(`  ${usagePart(f).slice(1, -1)}`);
    groups.set(f.group, list);
  }
  const body = [...groups].map(([g, lines]) => `${g}:\n${lines.join('\n')}`).join('\n\n');
  return `positional arguments:\n  ${MODEL_TAG}             The model tag to serve (optional if specified in config)\n\noptions:\n  -h, --help            show this help message and exit\n\n${body}\n`;
}
