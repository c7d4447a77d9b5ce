// The remote steps of a swap, each turned into the one event that says how it ended. A step never
// throws for a remote failure (non-zero exit, unreachable node, timeout): that is an event too.
// An unexpected throw is caught by the executor and becomes `failed` / `stop_failed` all the same.
import type { NodeTransport } from '../../platform/remote/transport.js';
import { sh } from '../../platform/remote/sh.js';
import { writeConfigFiles } from './config-files.js';
import type { SwapEvent } from './decide.js';
import { launchCommand, planArgs, stopCommand, type LaunchTarget } from './launch-command.js';
import type { SwapRow } from './store.js';

export interface StepDeps {
  transport: NodeTransport;
  target: LaunchTarget;
  log(line: string): void;
}

const lastLine = (s: string) => s.trim().split('\n').filter(Boolean).at(-1) ?? '';
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const headOf = (d: StepDeps) => d.target.nodes[0]!.name;

/** Before anything is stopped: does the head answer at all? A swap that cannot reach it leaves the running model alone. */
export async function probeHead(d: StepDeps, signal: AbortSignal): Promise<SwapEvent> {
  const head = headOf(d);
  try {
    const r = await d.transport.exec(head, sh`true`, { timeoutMs: 15_000, signal });
    if (r.code === 0) return { type: 'head_ok' };
    return { type: 'failed', reason: `${head} did not run a command (exit ${r.code})` };
  } catch (e) {
    return { type: 'failed', reason: `Could not reach ${head}: ${message(e)}` };
  }
}

/** `launch-cluster.sh stop`, never interrupted (it is the one stop a cancel relies on). */
export async function stopCluster(d: StepDeps): Promise<SwapEvent> {
  const head = headOf(d);
  try {
    const r = await d.transport.stream(head, stopCommand(d.target), (l) => d.log(l), { timeoutMs: 120_000 });
    if (r.code === 0) return { type: 'stopped' };
    return {
      type: 'stop_failed',
      reason: `launch-cluster.sh stop failed (exit ${r.code}): ${lastLine(r.stderr || r.stdout)}`,
    };
  } catch (e) {
    return { type: 'stop_failed', reason: `Could not stop the cluster on ${head}: ${message(e)}` };
  }
}

/** Writes the config file(s), launches detached, and records the head's clock for the log follower. */
export async function launch(d: StepDeps, row: SwapRow, signal: AbortSignal): Promise<SwapEvent> {
  const head = headOf(d);
  let since: number | null = null;
  const output: string[] = [];
  try {
    const plan = planArgs(row.snapshot, row.id);
    if (plan.config)
      d.log(`Writing the vLLM config file ${plan.config.containerPath} on ${row.nodes.join(', ')}`);
    const notWritten = await writeConfigFiles(d.transport, row.nodes, plan, signal);
    if (notWritten) return { type: 'failed', reason: notWritten };
    const r = await d.transport.stream(
      head,
      launchCommand(row.snapshot, d.target, plan),
      (line, stream) => {
        // The first stdout line is the head's clock, for `docker logs --since`.
        if (since === null && stream === 'stdout' && /^\d{9,}$/.test(line.trim()))
          since = Number(line.trim()) - 1;
        else {
          output.push(line);
          d.log(line);
        }
      },
      { timeoutMs: 300_000, signal },
    );
    if (r.code !== 0)
      return {
        type: 'failed',
        reason: `launch-cluster.sh failed (exit ${r.code}): ${lastLine(output.join('\n'))}`,
      };
    row.log_since = since ?? Math.floor(Date.now() / 1000) - 5;
    return { type: 'launched' };
  } catch (e) {
    return { type: 'failed', reason: `Launching on ${head} failed: ${message(e)}` };
  }
}
