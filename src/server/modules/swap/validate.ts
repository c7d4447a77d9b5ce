// Pre-flight: runs vLLM's own argument parser (FlexibleArgumentParser + make_arg_parser) on
// exactly the argv a swap would pass, inside the vllm_node container (or a throwaway one from
// the same image when it isn't running), without starting the engine. ok:false is definitive;
// ok:true is necessary, not sufficient — hence the static checks beside it.
import type { ValidateResponse } from '../../../common/api.js';
import { sh, type ShellCommand } from '../../platform/remote/sh.js';
import { validateContainerName } from '../../platform/remote/validators.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { writeConfigFiles } from './config-files.js';
import { hfCacheMount, modelArgument, removeConfigCommand, type ArgPlan } from './launch-command.js';
import type { SwapModel } from './model.js';

export const VALIDATE_SCRIPT = `# spark-control: validate vllm serve args
import json, sys
try:
    from vllm.utils.argparse_utils import FlexibleArgumentParser
except ImportError:
    from vllm.utils import FlexibleArgumentParser
from vllm.entrypoints.openai.cli_args import make_arg_parser
make_arg_parser(FlexibleArgumentParser(prog="vllm serve")).parse_args(sys.argv[1:])
print(json.dumps({"ok": True}))
`;

/**
 * The parser run on the swap's exact argv: the same command-line words and the same config file
 * (written beforehand to the mounted HF cache, which a throwaway container mounts too).
 */
export function validateCommand(
  m: SwapModel,
  port: number,
  container: string,
  plan: ArgPlan,
  image = 'vllm-node',
): ShellCommand {
  const c = validateContainerName(container);
  const config = plan.config ? ['--config', plan.config.containerPath] : [];
  const argv = sh`--model ${modelArgument(m)} --port ${port} --host 0.0.0.0 ${[...plan.cli, ...config]}`;
  return sh`if [ "$(docker inspect -f '{{.State.Running}}' ${c} 2>/dev/null)" = true ]; then docker exec ${c} python3 -c ${VALIDATE_SCRIPT} ${argv}; else docker run --rm ${hfCacheMount()} --entrypoint python3 ${image} -c ${VALIDATE_SCRIPT} ${argv}; fi`;
}

/** The most useful line of argparse's complaint ("vllm: error: unrecognized arguments: …"). */
export function parserError(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (
    lines.findLast((l) => /error:/i.test(l)) ??
    lines.findLast((l) => /Error\b/.test(l)) ??
    lines.at(-1) ??
    'vLLM rejected the arguments'
  );
}

export async function runValidation(
  transport: NodeTransport,
  head: string,
  m: SwapModel,
  base: Pick<ValidateResponse, 'cmd_args' | 'launch_cmd' | 'warnings'>,
  opts: { port: number; container: string; plan: ArgPlan; timeoutMs?: number },
): Promise<ValidateResponse> {
  const { config } = opts.plan;
  const notWritten = await writeConfigFiles(transport, [head], opts.plan);
  if (notWritten) return { ...base, ok: false, stage: 'container', error: notWritten };
  try {
    const r = await transport.exec(head, validateCommand(m, opts.port, opts.container, opts.plan), {
      timeoutMs: opts.timeoutMs ?? 60_000,
    });
    if (r.code === 0 && /"ok":\s*true/.test(r.stdout))
      return { ...base, ok: true, stage: 'done', error: null };
    if (r.code === 2) return { ...base, ok: false, stage: 'argparse', error: parserError(r.stderr) };
    // Anything else means the parser never ran (no image, no python, docker refused): say so.
    return {
      ...base,
      ok: false,
      stage: 'container',
      error: `Could not run vLLM's argument parser on ${head}: ${parserError(r.stderr || r.stdout) || `exit code ${r.code}`}`,
    };
  } finally {
    if (config)
      await transport
        .exec(head, removeConfigCommand(config.name), { timeoutMs: 10_000 })
        .catch(() => undefined);
  }
}
