// What the launcher (spark-vllm-docker's launch-cluster.sh) can do, read from its own `--help`
// text. Pure: the cache (capability-cache.ts) runs the command, this reads what it printed.
//
// The usage text is the only description the launcher has of itself; it has no version number,
// and the options come and go between commits (older launchers had no `--solo`). Options are
// taken from the "Usage:" line's bracket groups (`[--solo]`, `[--ray|--no-ray]`, `[-n <ips>]`)
// and from the indented option lines (`  -n, --nodes   …`, `  --setup/--discover  …`); actions
// from the `action  start | stop | status | exec` line (or an `a|b|c` list on the Usage line).
import type { LauncherCapabilities } from '../../../common/updates-api.js';

/** What a swap passes to the launcher; `--solo` only for solo models (swap/launch-command.ts). */
export const DAEMON_OPTION = '-d';
export const SOLO_OPTION = '--solo';
export const EXEC_ACTION = 'exec';

export interface LauncherHelp {
  options: ReadonlySet<string>;
  actions: ReadonlySet<string>;
}

const OPTION = /^--?[A-Za-z0-9][A-Za-z0-9-]*$/;
const ACTION = /^[a-z][a-z-]*$/;

/** `-p=*`, `--publish=<x>`, `-n,` → the bare option name, or null when the word is none. */
function optionName(word: string): string | null {
  const name = word.replace(/[=<[].*$/, '').replace(/[,;:]+$/, '');
  return OPTION.test(name) ? name : null;
}

function addOptions(spec: string, into: Set<string>): void {
  for (const word of spec.split(/[\s,|/]+/)) {
    const name = optionName(word);
    if (name) into.add(name);
  }
}

/** Bare words of an `a|b|c` or `a | b | c` list (no leading dash), e.g. the Usage line's actions. */
function addActionList(text: string, into: Set<string>): void {
  for (const m of text.matchAll(/(?:^|\s)([a-z][a-z-]*(?:\s*\|\s*[a-z][a-z-]*)+)/g)) {
    for (const w of (m[1] ?? '').split('|')) {
      const a = w.trim();
      if (ACTION.test(a)) into.add(a);
    }
  }
}

/**
 * Reads `./launch-cluster.sh --help` output (stdout and stderr together). Null when the text has
 * no "Usage:" line: the script is missing, broke before printing its usage, or is something else.
 */
export function parseLauncherHelp(text: string): LauncherHelp | null {
  const lines = text.split(/\r?\n/);
  const usageAt = lines.findIndex((l) => /^\s*usage:/i.test(l));
  if (usageAt < 0) return null;
  const options = new Set<string>();
  const actions = new Set<string>();
  const usage = (lines[usageAt] ?? '').replace(/^\s*usage:\s*\S+/i, '');
  for (const group of usage.matchAll(/\[([^\]]*)\]/g)) {
    for (const alt of (group[1] ?? '').split('|')) {
      const name = optionName(alt.trim().split(/\s+/)[0] ?? '');
      if (name) options.add(name);
    }
  }
  addActionList(usage.replace(/\[[^\]]*\]/g, ' '), actions);
  for (const line of lines.slice(usageAt + 1)) {
    // An option line: indented, the option spec first, its description after two or more spaces.
    const opt = /^\s+(-\S.*?)(?:\s{2,}|\t|$)/.exec(line);
    if (opt) {
      addOptions(opt[1] ?? '', options);
      continue;
    }
    const act = /^\s+actions?\s{2,}(.*)$/i.exec(line);
    if (act) addActionList((act[1] ?? '').replace(/\(.*$/, ''), actions);
  }
  return { options, actions };
}

/** What a swap could need and this launcher lacks, in a fixed order (`-d`, `exec`, `--solo`). */
export function missingForSwaps(help: LauncherHelp): string[] {
  return [
    ...(help.options.has(DAEMON_OPTION) ? [] : [DAEMON_OPTION]),
    ...(help.actions.has(EXEC_ACTION) ? [] : [EXEC_ACTION]),
    ...(help.options.has(SOLO_OPTION) ? [] : [SOLO_OPTION]),
  ];
}

/** The capabilities at `commit`, or null when the text is no usage text (see parseLauncherHelp). */
export function launcherCapabilities(commit: string, helpText: string): LauncherCapabilities | null {
  const help = parseLauncherHelp(helpText);
  if (!help) return null;
  return {
    commit,
    daemon: help.options.has(DAEMON_OPTION),
    solo: help.options.has(SOLO_OPTION),
    exec: help.actions.has(EXEC_ACTION),
    missing: missingForSwaps(help),
  };
}

/** What a swap of a model in `mode` needs from the launcher and `caps` lacks (empty: it can run). */
export function lackingFor(caps: LauncherCapabilities, mode: 'solo' | 'cluster'): string[] {
  return caps.missing.filter((m) => m !== SOLO_OPTION || mode === 'solo');
}
