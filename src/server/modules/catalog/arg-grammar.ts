// The grammar every vLLM argument must follow (bundled catalog, custom entries, knobs), and how a
// valid list is split between the launcher's command line and a per-swap vLLM config file.
//
// Why so strict: the `sh` builder quotes the first hop, but spark-vllm-docker re-parses the `exec`
// command on the head and every worker (`printf %q`, a `sed` over the whole string, `bash -c`; older
// versions join the words into `bash -c` with no quoting at all). Only words made of SAFE_VALUE
// characters mean the same after every one of those hops, so only those travel on the command line.
// Values that need quotes, braces or spaces (JSON, chat templates) go into a YAML file that vLLM
// reads itself (`--config`), which no shell ever parses. Characters no shell, terminal or YAML
// reader treats consistently (controls, invisible format characters, odd separators) are refused.
import { Buffer } from 'node:buffer';
import { canonicalFlag } from './vllm-args.js';

/** Survives bash re-parsing, `printf %q`, `sed` and `bash -c` unchanged (no ~ quotes $ ` space glob {} # ! ; & | <> \). */
export const SAFE_VALUE = /^[A-Za-z0-9_@%+:,./=-]+$/;
/** A long flag's name after `--`; dotted names (`--compilation-config.level`) are vLLM syntax. */
export const FLAG_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** `-tp`, `-O3`, `-O.level=3`: short flags, checked as a whole word. */
const SHORT_FLAG = /^-[A-Za-z][A-Za-z0-9_.=-]*$/;
/** Negative numbers are values (argparse reads them so), not short flags. */
const NEGATIVE_NUMBER = /^-\d/;

export const MAX_ARG_BYTES = 1024;
export const MAX_ARGS = 64;

/** Set by the swap itself; an entry must not move them. `--config` is the swap's own file. */
const RESERVED: Record<string, string> = {
  '--port': 'the swap sets it',
  '--host': 'the swap sets it',
  '--config': 'the swap passes its own vLLM config file',
};

/** The flag a dotted name belongs to (`--compilation-config.level` → `--compilation-config`). */
const baseFlag = (name: string): string => {
  const c = canonicalFlag(name);
  const dot = c.indexOf('.', 2);
  return dot < 0 ? c : c.slice(0, dot);
};

const hex = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why a code point is refused anywhere in an argument, or null when it may appear. */
export function refusedKind(ch: string): string | null {
  if (/\p{Cc}/u.test(ch)) return 'a control character';
  if (/\p{Cs}/u.test(ch)) return 'a lone surrogate, which is not text';
  if (/\p{Cf}/u.test(ch)) return 'an invisible format character';
  if (/[\p{Zl}\p{Zp}]/u.test(ch)) return 'a line or paragraph separator';
  if (ch !== ' ' && /\p{Zs}/u.test(ch)) return 'a space other than the plain space';
  return null;
}

/** "contains U+0085 (a control character)" for the first refused character of `s`, or null. */
export function refusedCharProblem(s: string): string | null {
  for (const ch of s) {
    const kind = refusedKind(ch);
    if (kind) return `contains ${hex(ch.codePointAt(0)!)} (${kind})`;
  }
  return null;
}

/** One flag with the value words that follow it (or a value glued on with `=`). */
interface Group {
  /** Index of the flag token in the args. */
  at: number;
  flag: string;
  /** `--name=value` form: the value after `=`. */
  inline: string | undefined;
  values: { text: string; at: number }[];
}

/** What goes into the config file: `key: value` or, for several values, `key: [v1, v2]`. */
export interface FileArg {
  /** Flag name without the leading dashes, as written (vLLM normalises `_` itself). */
  key: string;
  values: string[];
  /** Index of the flag in the original args, for messages. */
  at: number;
}

export interface SplitArgs {
  /** Words for the launcher's command line: every one matches SAFE_VALUE or is a flag. */
  cli: string[];
  /** Flags whose values need quotes, braces or spaces: they go to the vLLM config file. */
  file: FileArg[];
}

function tokenProblem(arg: unknown, field: string): string | null {
  if (typeof arg !== 'string') return `${field} must be a string`;
  if (arg === '') return `${field} must not be empty`;
  const bad = refusedCharProblem(arg);
  if (bad) return `${field} ${bad}`;
  if (Buffer.byteLength(arg, 'utf8') > MAX_ARG_BYTES)
    return `${field} is longer than ${MAX_ARG_BYTES} bytes (1 KiB)`;
  if (arg.startsWith('--')) {
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (!FLAG_NAME.test(name.slice(2)))
      return `${field} is not a valid flag: a name after "--" is letters, digits, '_', '.' and '-'`;
    const base = baseFlag(name);
    for (const [reserved, why] of Object.entries(RESERVED)) {
      // argparse also accepts unique abbreviations (`--por`), so those are the same flag.
      if (base === reserved || (base.length > 2 && reserved.startsWith(base)))
        return `${field} must not set ${reserved}: ${why}`;
    }
    return null;
  }
  if (arg.startsWith('-') && !NEGATIVE_NUMBER.test(arg) && !SHORT_FLAG.test(arg))
    return `${field} is not a valid short flag (like -tp or -O3)`;
  return null;
}

function group(args: readonly string[]): { groups: Group[]; problems: string[] } {
  const groups: Group[] = [];
  const problems: string[] = [];
  args.forEach((arg, i) => {
    const isFlag = arg.startsWith('-') && !NEGATIVE_NUMBER.test(arg);
    if (isFlag) {
      const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
      groups.push({
        at: i,
        flag: eq < 0 ? arg : arg.slice(0, eq),
        inline: eq < 0 ? undefined : arg.slice(eq + 1),
        values: [],
      });
    } else {
      const g = groups.at(-1);
      if (!g) problems.push(`[${i}] is a value with no flag before it`);
      else g.values.push({ text: arg, at: i });
    }
  });
  return { groups, problems };
}

const needsFile = (g: Group): boolean =>
  (g.inline !== undefined && !SAFE_VALUE.test(g.inline)) || g.values.some((v) => !SAFE_VALUE.test(v.text));

/**
 * Every problem with `args`, each naming `field[index]`; empty when the list is valid. Checks the
 * characters, the shape of each word, reserved flags, and that a value needing the config file
 * belongs to a long flag given only once.
 */
export function argsProblems(args: readonly unknown[], field = 'vllm_args'): string[] {
  const problems = args.flatMap((a, i) => tokenProblem(a, `${field}[${i}]`) ?? []);
  if (problems.length > 0) return problems;
  const { groups, problems: orphans } = group(args as string[]);
  problems.push(...orphans.map((p) => `${field}${p}`));
  for (const g of groups) {
    if (!needsFile(g)) continue;
    const first = g.inline !== undefined ? g.at : g.values.find((v) => !SAFE_VALUE.test(v.text))!.at;
    const at = `${field}[${first}]`;
    if (!g.flag.startsWith('--')) {
      problems.push(
        `${at} needs quoting (quotes, braces or spaces), which only a long --flag's value may: such values go into vLLM's config file, which has no short flags`,
      );
      continue;
    }
    if (g.inline !== undefined && g.values.length > 0) {
      problems.push(`${at} gives ${g.flag} a value with '=' and more values after it; give them one way`);
      continue;
    }
    const others = groups.filter((o) => o !== g && baseFlag(o.flag) === baseFlag(g.flag));
    if (others.length > 0)
      problems.push(
        `${at} ${baseFlag(g.flag)} appears more than once (also at ${others.map((o) => `[${o.at}]`).join(', ')}): ` +
          "its value needs quoting, so it goes into vLLM's config file, where a flag can appear only once and is read before the command line — give it once",
      );
  }
  return problems;
}

/** Splits valid args (see argsProblems) between the command line and the config file, keeping order. */
export function splitArgs(args: readonly string[]): SplitArgs {
  const { groups } = group(args);
  const cli: string[] = [];
  const file: FileArg[] = [];
  for (const g of groups) {
    if (g.flag.startsWith('--') && needsFile(g)) {
      const values = g.inline !== undefined ? [g.inline] : g.values.map((v) => v.text);
      file.push({ key: g.flag.slice(2), values, at: g.at });
    } else {
      cli.push(args[g.at]!, ...g.values.map((v) => v.text));
    }
  }
  return { cli, file };
}

/** A YAML double-quoted scalar that PyYAML reads back exactly: JSON escaping, non-ASCII as \uXXXX. */
export function yamlString(s: string): string {
  // YAML's \u is one UTF-16 unit (PyYAML would not pair surrogates), so astral characters use \U.
  return JSON.stringify(s).replace(/[^\x20-\x7e]/gu, (c) => {
    const cp = c.codePointAt(0)!;
    return cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
  });
}

/**
 * The per-swap vLLM config file. vLLM's `load_config_file` turns `key: "v"` into `--key v` and
 * `key: ["a", "b"]` into `--key a b`, inserted right after the model (command-line flags win).
 */
export function configYaml(file: readonly FileArg[]): string {
  const lines = file.map((f) => {
    const key = yamlString(f.key);
    return f.values.length === 1
      ? `${key}: ${yamlString(f.values[0]!)}`
      : `${key}: [${f.values.map(yamlString).join(', ')}]`;
  });
  return `# Written by Spark Control for one swap; read by vllm serve --config.\n${lines.join('\n')}\n`;
}

/** The argv vLLM ends up with once it has read the config file: model, file args, then the rest. */
export function expandedArgv(model: string, rest: readonly string[], file: readonly FileArg[]): string[] {
  return [model, ...file.flatMap((f) => [`--${f.key}`, ...f.values]), ...rest];
}
