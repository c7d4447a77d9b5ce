// Commands a swap runs on the head node (spark-vllm-docker semantics, UPSTREAM-SHAPES.md):
//   cd <launcher> && ./launch-cluster.sh stop
//   cd <launcher> && ./launch-cluster.sh [--solo | -n ip1,ip2] -d exec vllm serve <repo|path> --port P --host 0.0.0.0 <args…>
// `-d` is essential: without it the launcher's EXIT trap stops the cluster when SSH disconnects.
// Every value is quoted by `sh`; the argv round trip is what the pre-flight validator relies on.
import type { NodeConfig } from '../../config/types.js';
import { AppError } from '../../platform/http/errors.js';
import { pathArg, sh, type ShellCommand } from '../../platform/remote/sh.js';
import { validateContainerName, validatePath, validateRepo } from '../../platform/remote/validators.js';
import type { SwapModel } from './model.js';

export interface LaunchTarget {
  /** vLLM nodes, head first. Solo mode uses only the head. */
  nodes: NodeConfig[];
  port: number;
  container: string;
  launcherDir: string;
}

/** A single argument must not smuggle a line break (the log and argv would no longer match). */
function checkArg(a: string): string {
  if (/[\0\n\r]/.test(a))
    throw new AppError('INVALID_INPUT', `vLLM argument ${JSON.stringify(a)} contains a line break`);
  return a;
}

/** The model argument of `vllm serve`: a validated repo, or a validated local path. */
export function modelArgument(m: Pick<SwapModel, 'repo' | 'path'>): string | ShellCommand {
  if (m.repo) return validateRepo(m.repo);
  if (m.path) return pathArg(validatePath(m.path));
  throw new AppError('INVALID_INPUT', 'The model has neither a repo nor a path');
}

/** Everything after `vllm serve` (what vLLM's own parser sees), as plain strings for display. */
export function serveArgs(m: SwapModel, port: number): string[] {
  return [
    m.repo ?? m.path ?? '',
    '--port',
    String(port),
    '--host',
    '0.0.0.0',
    ...m.effective_args.map(checkArg),
  ];
}

export function nodesFor(m: Pick<SwapModel, 'mode'>, t: LaunchTarget): NodeConfig[] {
  const head = t.nodes[0];
  if (!head) throw new AppError('CONFLICT', 'No vLLM node is configured');
  if (m.mode === 'solo') return [head];
  if (t.nodes.length < 2) {
    throw new AppError(
      'CONFLICT',
      'This model runs in cluster mode, which needs at least two vLLM nodes; only one is configured',
    );
  }
  return t.nodes;
}

const launcher = (t: LaunchTarget) => sh`cd ${pathArg(validatePath(t.launcherDir, 'launcher_dir'))}`;

export function stopCommand(t: LaunchTarget): ShellCommand {
  return sh`${launcher(t)} && ./launch-cluster.sh stop`;
}

/** Mode options: solo, or the node list over the fast link (qsfp_ip when set). */
function modeOptions(m: SwapModel, t: LaunchTarget): string[] {
  const name = t.container === 'vllm_node' ? [] : ['--name', validateContainerName(t.container)];
  if (m.mode === 'solo') return [...name, '--solo'];
  const ips = nodesFor(m, t).map((n) => n.qsfp_ip ?? n.host);
  return [...name, '-n', ips.join(',')];
}

/**
 * The launch, preceded by the head's clock (`date +%s`, first stdout line) so the log follower
 * can ask docker for exactly this launch's lines with `--since`, whatever the clock skew.
 */
export function launchCommand(m: SwapModel, t: LaunchTarget): ShellCommand {
  const args = m.effective_args.map(checkArg);
  return sh`date +%s && ${launcher(t)} && ./launch-cluster.sh ${modeOptions(m, t)} -d exec vllm serve ${modelArgument(m)} --port ${t.port} --host 0.0.0.0 ${args}`;
}

/** The launch as the owner would type it (shown in the UI and the validate response). */
export function launchDisplay(m: SwapModel, t: LaunchTarget): string {
  return sh`${launcher(t)} && ./launch-cluster.sh ${modeOptions(m, t)} -d exec vllm serve ${modelArgument(m)} --port ${t.port} --host 0.0.0.0 ${m.effective_args.map(checkArg)}`
    .text;
}

export function followLogsCommand(container: string, sinceEpochS: number): ShellCommand {
  return sh`docker logs -f --since ${Math.max(0, Math.floor(sinceEpochS))} ${validateContainerName(container)} 2>&1`;
}

export function tailLogsCommand(container: string, lines = 200): ShellCommand {
  return sh`docker logs --tail ${lines} ${validateContainerName(container)} 2>&1`;
}

export function runningCommand(container: string): ShellCommand {
  return sh`docker inspect -f '{{.State.Running}}' ${validateContainerName(container)} 2>/dev/null || echo missing`;
}
