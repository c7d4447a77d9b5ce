// Puts a swap's vLLM config file on every node it runs on (cluster mode starts vLLM on the
// workers too), before the launch. The content goes over stdin, never through a command line.
import type { NodeTransport } from '../../platform/remote/transport.js';
import { writeConfigCommand, type ArgPlan } from './launch-command.js';

const lastLine = (s: string) => s.trim().split('\n').filter(Boolean).at(-1) ?? '';

/** Writes the plan's config file (if any) on `nodes` in parallel; returns why it failed, or null. */
export async function writeConfigFiles(
  transport: NodeTransport,
  nodes: readonly string[],
  plan: ArgPlan,
  signal?: AbortSignal,
): Promise<string | null> {
  const { config } = plan;
  if (!config) return null;
  const results = await Promise.all(
    nodes.map((node) =>
      transport
        .exec(node, writeConfigCommand(config.name), { stdin: config.yaml, timeoutMs: 30_000, signal })
        .then(
          (r) =>
            r.code === 0 ? null : `${node}: ${lastLine(r.stderr || r.stdout) || `exit code ${r.code}`}`,
          (e: unknown) => `${node}: ${e instanceof Error ? e.message : String(e)}`,
        ),
    ),
  );
  const failed = results.filter((x): x is string => x !== null);
  return failed.length === 0 ? null : `Could not write the vLLM config file (${failed.join('; ')})`;
}
