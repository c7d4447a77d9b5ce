// What each simulated `vllm` process received: one JSON line per process in the node's state dir
// (`vllm-argv.jsonl`), written by the simulator before vLLM parses anything. Tests read it to check
// that the argv every rank got is exactly the intended one.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface VllmArgvRecord {
  container: string;
  /** argv after `vllm`, as the process received it. */
  argv: string[];
  /** After `--config` expansion (what vLLM's parser sees), or null when vLLM stopped at the file. */
  expanded: string[] | null;
}

export function vllmArgvLog(simDataDir: string, node: string): VllmArgvRecord[] {
  const file = join(simDataDir, 'nodes', node, 'state', 'vllm-argv.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as VllmArgvRecord);
}

/** Every command the node's sshd ran, oldest first (`state/ssh-exec.jsonl`). */
export function sshExecLog(simDataDir: string, node: string): { ts: string; command: string }[] {
  const file = join(simDataDir, 'nodes', node, 'state', 'ssh-exec.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { ts: string; command: string });
}

/** Every path under `dir` whose name contains `needle` (e.g. a canary an injection would create). */
export function findFiles(dir: string, needle: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.name.includes(needle)) out.push(p);
      if (e.isDirectory() && !e.isSymbolicLink()) walk(p);
    }
  };
  walk(dir);
  return out;
}
