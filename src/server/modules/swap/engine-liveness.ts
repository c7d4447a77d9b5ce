// Is the engine still alive? One exec on the head asks docker for the container's processes
// (`docker top <c> -eo pid,args`): a running container with a `vllm serve` process is alive; a
// container that is not running (or gone — vllm_node runs with --rm), or one without that process,
// is a definite death whatever vLLM printed. Anything else (a timeout, docker not answering) is
// "unknown": the swap never fails on a guess.
import { isAppError } from '../../platform/http/errors.js';
import { sh, type ShellCommand } from '../../platform/remote/sh.js';
import type { ExecResult, NodeTransport } from '../../platform/remote/transport.js';
import { validateContainerName } from '../../platform/remote/validators.js';

export type EngineProbe =
  | { kind: 'alive'; pid: number }
  | { kind: 'no_process' }
  | { kind: 'container_stopped'; detail: string }
  | { kind: 'unknown'; detail: string };

export function engineProbeCommand(container: string): ShellCommand {
  return sh`docker top ${validateContainerName(container)} -eo pid,args 2>&1`;
}

export function tailLogsCommand(container: string, lines = 80): ShellCommand {
  return sh`docker logs --tail ${lines} ${validateContainerName(container)} 2>&1`;
}

/** The API server itself: `vllm serve …`, directly or as `python3 …/vllm serve …` (not a shell running it). */
const VLLM_SERVE = /^(?:\S*python[\d.]*\s+)?\S*\bvllm\s+serve\b/;

export function classifyProbe(r: ExecResult): EngineProbe {
  const text = r.stdout + r.stderr;
  if (r.code === 0) {
    const rows = text.split('\n').slice(1); // the first line is ps's header
    for (const row of rows) {
      const m = /^\s*(\d+)\s+(.*)$/.exec(row);
      if (m && !/<defunct>/.test(m[2]!) && VLLM_SERVE.test(m[2]!.trim()))
        return { kind: 'alive', pid: Number(m[1]) };
    }
    return { kind: 'no_process' };
  }
  const line = text.trim().split('\n').at(-1) ?? '';
  if (/is not running|No such container/.test(text)) return { kind: 'container_stopped', detail: line };
  return { kind: 'unknown', detail: line || `docker top exited with ${r.code}` };
}

export async function probeEngine(
  transport: NodeTransport,
  node: string,
  container: string,
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<EngineProbe> {
  try {
    const r = await transport.exec(node, engineProbeCommand(container), {
      timeoutMs: opts.timeoutMs ?? 5000,
      signal: opts.signal,
    });
    return classifyProbe(r);
  } catch (e) {
    // Unreachable, timed out or aborted: we do not know, so we do not judge.
    return { kind: 'unknown', detail: isAppError(e) ? e.message : String((e as Error).message ?? e) };
  }
}

/** The container's last log lines, or null when docker cannot give them (e.g. the container is gone). */
export async function recentLogs(
  transport: NodeTransport,
  node: string,
  container: string,
): Promise<string[] | null> {
  try {
    const r = await transport.exec(node, tailLogsCommand(container), { timeoutMs: 5000 });
    return r.code === 0 ? r.stdout.split('\n') : null;
  } catch {
    return null;
  }
}

// Strips colour codes, vLLM's `(APIServer pid=N)` prefix and its `INFO 10-01 12:00:00 [file.py:1]` stamp.
const ESC = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const body = (l: string): string =>
  l
    .replace(ESC, '')
    .replace(/^(\(\w+ pid=\d+\)\s*)?(\w+ \d\d-\d\d [\d:]+ \[[^\]]+\]\s*)?/, '')
    .trim();

/** An exception line (`ValueError: …`) or one that says Error, near the end. */
const ERROR_LINE = /^\w*(Error|Exception)\b.*:|\bError\b/;

/**
 * The engine's last words: the last error-looking line among the final lines of its output, else
 * its last lines as they are. `Engine core initialization failed` only wraps the real cause.
 */
export function lastWords(lines: readonly string[], near = 40, keep = 3): string {
  const tail = lines.map(body).filter(Boolean).slice(-near);
  const error = tail.findLast((l) => ERROR_LINE.test(l) && !/Engine core initialization failed/.test(l));
  return error ?? tail.slice(-keep).join(' | ');
}

/** The reason a swap fails with when the engine is definitely gone. */
export function deathReason(probe: EngineProbe, container: string, lines: readonly string[]): string {
  const words = lastWords(lines);
  const what =
    probe.kind === 'container_stopped'
      ? `The ${container} container stopped while the model was loading`
      : `vLLM exited while the model was loading (no vllm serve process in ${container})`;
  return words ? `${what}: ${words}` : what;
}
