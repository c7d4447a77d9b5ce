// Commands a swap runs on the head node (spark-vllm-docker semantics, UPSTREAM-SHAPES.md):
//   cd <launcher> && ./launch-cluster.sh stop
//   cd <launcher> && ./launch-cluster.sh [--solo | -n ip1,ip2] -d exec vllm serve <repo|path> --port P --host 0.0.0.0 <args…> [--config <file>]
// `-d` is essential: without it the launcher's EXIT trap stops the cluster when SSH disconnects.
// Every value is quoted by `sh`, but the launcher re-parses the exec words on every node, so only
// words of the safe grammar (catalog/arg-grammar.ts) travel on its command line; values that need
// quoting go into a per-swap vLLM config file written to every node beforehand (over stdin).
import type { NodeConfig } from '../../config/types.js';
import { AppError } from '../../platform/http/errors.js';
import { pathArg, raw, sh, type ShellCommand } from '../../platform/remote/sh.js';
import { validateContainerName, validatePath, validateRepo } from '../../platform/remote/validators.js';
import { argsProblems, configYaml, splitArgs } from '../catalog/arg-grammar.js';
import type { SwapModel } from './model.js';

export interface LaunchTarget {
  /** vLLM nodes, head first. Solo mode uses only the head. */
  nodes: NodeConfig[];
  port: number;
  container: string;
  launcherDir: string;
  /** Cluster mode over a Ray cluster (`--ray`); not configurable yet, the launcher's default is without. */
  ray?: boolean;
}

/** Where the launcher mounts the HF cache in the container (`-v $HF_CACHE_DIR:/root/.cache/huggingface`). */
export const CONTAINER_CONFIG_DIR = '/root/.cache/huggingface/spark-control';
/** The same directory on the host, as the launcher computes HF_CACHE_DIR. */
const HOST_CONFIG_DIR = raw('"${HF_HOME:-$HOME/.cache/huggingface}"/spark-control');
const HOST_HF_CACHE = raw('"${HF_HOME:-$HOME/.cache/huggingface}"');
const CONFIG_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** What one swap (or pre-flight) passes: the command-line words and, if needed, its config file. */
export interface ArgPlan {
  cli: string[];
  config: { name: string; yaml: string; containerPath: string } | null;
}

/**
 * Splits a model's effective args for the launcher. `name` names the config file (the swap id).
 * Args were checked when they entered the catalog; they are checked again here because knobs and
 * the served name are added later, and a refusal must come before anything reaches SSH.
 */
export function planArgs(m: Pick<SwapModel, 'effective_args'>, name: string): ArgPlan {
  const problems = argsProblems(m.effective_args, 'effective vLLM argument');
  if (problems.length > 0) throw new AppError('INVALID_INPUT', problems.join('; '));
  if (!CONFIG_NAME.test(name)) throw new AppError('INTERNAL', `bad config file name ${JSON.stringify(name)}`);
  const { cli, file } = splitArgs(m.effective_args);
  if (file.length === 0) return { cli, config: null };
  return {
    cli,
    config: { name, yaml: configYaml(file), containerPath: `${CONTAINER_CONFIG_DIR}/${name}.yaml` },
  };
}

/** `--config <file>` when the plan has one. */
const configArgs = (p: ArgPlan): string[] => (p.config ? ['--config', p.config.containerPath] : []);

/** Writes the config file from stdin (never through a command line), atomically; prunes month-old ones. */
export function writeConfigCommand(name: string): ShellCommand {
  if (!CONFIG_NAME.test(name)) throw new AppError('INTERNAL', `bad config file name ${JSON.stringify(name)}`);
  const d = HOST_CONFIG_DIR;
  return sh`mkdir -p ${d} && cat > ${d}/${`${name}.yaml.tmp`} && mv -f ${d}/${`${name}.yaml.tmp`} ${d}/${`${name}.yaml`} && { find ${d} -maxdepth 1 -name 'swap_*.yaml' -mtime +30 -delete 2>/dev/null; true; }`;
}

export function removeConfigCommand(name: string): ShellCommand {
  if (!CONFIG_NAME.test(name)) throw new AppError('INTERNAL', `bad config file name ${JSON.stringify(name)}`);
  return sh`rm -f ${HOST_CONFIG_DIR}/${`${name}.yaml`}`;
}

/** The `-v` a throwaway container needs to see the config file where the launcher's would. */
export const hfCacheMount = (): ShellCommand => sh`-v ${HOST_HF_CACHE}:/root/.cache/huggingface`;

/** The model argument of `vllm serve`: a validated repo, or a validated local path. */
export function modelArgument(m: Pick<SwapModel, 'repo' | 'path'>): string | ShellCommand {
  if (m.repo) return validateRepo(m.repo);
  if (m.path) return pathArg(validatePath(m.path));
  throw new AppError('INVALID_INPUT', 'The model has neither a repo nor a path');
}

/** Everything after `vllm serve` (what vLLM's own parser sees), as plain strings for display. */
export function serveArgs(m: SwapModel, port: number): string[] {
  return [m.repo ?? m.path ?? '', '--port', String(port), '--host', '0.0.0.0', ...m.effective_args];
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
  return [...name, '-n', ips.join(','), ...(t.ray ? ['--ray'] : [])];
}

/**
 * The launch, preceded by the head's clock (`date +%s`, first stdout line) so the log follower
 * can ask docker for exactly this launch's lines with `--since`, whatever the clock skew.
 */
export function launchCommand(m: SwapModel, t: LaunchTarget, plan: ArgPlan): ShellCommand {
  return sh`date +%s && ${launchLine(m, t, plan)}`;
}

function launchLine(m: SwapModel, t: LaunchTarget, plan: ArgPlan): ShellCommand {
  return sh`${launcher(t)} && ./launch-cluster.sh ${modeOptions(m, t)} -d exec vllm serve ${modelArgument(m)} --port ${t.port} --host 0.0.0.0 ${[...plan.cli, ...configArgs(plan)]}`;
}

/** The launch as the owner would type it (shown in the UI and the validate response). */
export function launchDisplay(m: SwapModel, t: LaunchTarget, plan: ArgPlan): string {
  return launchLine(m, t, plan).text;
}

export function followLogsCommand(container: string, sinceEpochS: number): ShellCommand {
  return sh`docker logs -f --since ${Math.max(0, Math.floor(sinceEpochS))} ${validateContainerName(container)} 2>&1`;
}
