// Commands for the Sparks are built, never concatenated. `sh` quotes every interpolated value so it
// reaches the remote program as exactly one argv word; code must opt in to unquoted text with
// `raw()` or by interpolating another ShellCommand. Round trip (quote → bash → same argv) is
// property-tested against a real bash in sh.test.ts.
import { AppError } from '../http/errors.js';
import { validateHomeRelPath } from './validators.js';

/**
 * A piece of shell code that is safe to send as-is. Nominal (a private member) so a plain
 * `{ text }` object, e.g. from parsed JSON, can never be mistaken for one.
 */
class Command {
  declare private readonly brand: never;
  readonly text: string;
  constructor(text: string) {
    this.text = text;
    Object.freeze(this);
  }
  toString(): string {
    return this.text;
  }
}

export type ShellCommand = Command;

export type ShArg = string | number | bigint | ShellCommand | readonly ShArg[];

export const isShellCommand = (v: unknown): v is ShellCommand => v instanceof Command;

function rejectNul(s: string, what: string): void {
  if (s.includes('\0'))
    throw new AppError('INVALID_INPUT', `${what} contains a NUL byte, which no shell can pass`);
}

/**
 * Words made only of these characters mean the same quoted or not, in any position (no `=`, so a
 * leading word is never read as an assignment; no `~`, glob or operator characters). Leaving them
 * bare keeps logged and displayed commands readable: `./launch-cluster.sh --solo -d exec …`.
 */
const BARE_WORD = /^[A-Za-z0-9_@%+:,./-]+$/;

/** POSIX single-quoting: everything is literal inside '…'; a quote is closed, escaped, reopened. */
export function quote(s: string): string {
  if (typeof s !== 'string') throw new AppError('INTERNAL', `quote() expects a string, got ${typeof s}`);
  rejectNul(s, 'a value for a shell command');
  if (BARE_WORD.test(s)) return s;
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** An explicitly unquoted fragment (operators, globs, `"$HOME"`). Never pass user input here. */
export function raw(text: string): ShellCommand {
  if (typeof text !== 'string') throw new AppError('INTERNAL', `raw() expects a string, got ${typeof text}`);
  rejectNul(text, 'a raw shell fragment');
  return new Command(text);
}

function render(value: ShArg, index: number): string {
  if (value instanceof Command) return value.text;
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new AppError('INVALID_INPUT', `value #${index + 1} of a shell command is not a finite number`);
    }
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map((v: ShArg) => render(v, index)).join(' ');
  // A programming error (undefined, an object…), not the user's fault: hence INTERNAL, not 400.
  const kind = value === null ? 'null' : typeof value;
  throw new AppError('INTERNAL', `cannot put a value of type ${kind} (#${index + 1}) into a shell command`);
}

/**
 * Tagged template: sh`docker restart ${container}`. Literal parts are code; each `${…}` is one
 * quoted word (arrays: one word per element; an empty array adds nothing).
 */
export function sh(strings: TemplateStringsArray, ...values: ShArg[]): ShellCommand {
  // An invalid escape such as `\3` leaves a cooked part undefined; dropping it silently would change
  // the command, so refuse (write `\\3` to send a backslash).
  const part = (i: number): string => {
    const s = strings[i];
    if (s === undefined)
      throw new AppError('INTERNAL', `invalid escape sequence in sh\`${strings.raw[i] ?? ''}\``);
    return s;
  };
  let text = part(0);
  values.forEach((value, i) => {
    text += render(value, i) + part(i + 1);
  });
  return new Command(text);
}

/**
 * A path under the remote user's home: `"$HOME"/'rel'`. `~` only expands unquoted and at the start
 * of a word, so quoting it silently creates a directory literally named `~` — hence $HOME.
 * Accepts `rel` with or without a leading `~/`.
 */
export function homePath(rel: string): ShellCommand {
  const clean = validateHomeRelPath(rel);
  return new Command(`"$HOME"/${quote(clean)}`);
}

/** A validated path (see validatePath): `~`-relative ones go through homePath, others are quoted. */
export function pathArg(path: string): ShellCommand {
  if (path === '~') return new Command('"$HOME"');
  if (path.startsWith('~/')) return homePath(path);
  return new Command(quote(path));
}

export type CommandSeparator = ' && ' | ' || ' | '; ' | ' | ' | '\n';

/** Joins commands with a fixed operator; an empty list is a no-op command (`:`). */
export function joinCommands(cmds: readonly ShellCommand[], sep: CommandSeparator = ' && '): ShellCommand {
  for (const c of cmds) {
    if (!(c instanceof Command)) throw new AppError('INTERNAL', 'joinCommands() only joins ShellCommands');
  }
  return new Command(cmds.length === 0 ? ':' : cmds.map((c) => c.text).join(sep));
}
