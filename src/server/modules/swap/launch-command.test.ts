import { runShellSandboxed } from '../../../../test/helpers/unit.js';
import { describe, expect, it } from 'vitest';
import type { NodeConfig } from '../../config/types.js';
import { parse as parseYaml } from 'yaml';
import {
  CONTAINER_CONFIG_DIR,
  launchCommand as launchWithPlan,
  launchDisplay as displayWithPlan,
  nodesFor,
  planArgs,
  serveArgs,
  stopCommand,
  writeConfigCommand,
  type LaunchTarget,
} from './launch-command.js';
import type { SwapModel } from './model.js';

const node = (name: string, host: string, qsfp: string | null = null): NodeConfig => ({
  name,
  host,
  user: 'alice',
  ssh_port: 22,
  qsfp_ip: qsfp,
  mac: null,
});
const target: LaunchTarget = {
  nodes: [node('spark1', 'spark1.local', '192.0.2.101'), node('spark2', 'spark2.local', '192.0.2.102')],
  port: 8888,
  container: 'vllm_node',
  launcherDir: '~/spark-vllm-docker',
};
const model = (over: Partial<SwapModel> = {}): SwapModel => ({
  key: 'm',
  display_name: 'M',
  repo: 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8',
  path: null,
  served_model_name: 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8',
  size_gb: 31,
  mode: 'solo',
  capabilities: [],
  effective_args: ['--max-model-len', '32768', '--gpu-memory-utilization', '0.8'],
  effective_knobs: {
    max_model_len: 32768,
    gpu_memory_utilization: 0.8,
    fastsafetensors: false,
    prefix_caching: false,
    fp8_kv_cache: false,
  },
  expected_ready_seconds: 120,
  ...over,
});

const launchCommand = (m: SwapModel, t: LaunchTarget) => launchWithPlan(m, t, planArgs(m, 'swap_t1'));
const launchDisplay = (m: SwapModel, t: LaunchTarget) => displayWithPlan(m, t, planArgs(m, 'swap_t1'));

/** Runs the command text in real bash with `./launch-cluster.sh` and `date` replaced by argv printers. */
function argvOf(cmdText: string): string[] {
  const script = `mkdir -p "$HOME"/spark-vllm-docker; date() { :; }; cd() { builtin cd "$@" || exit 9; }; ${cmdText.replace('./launch-cluster.sh', "printf '%s\\0'")}`;
  const r = runShellSandboxed(script);
  expect(r.status).toBe(0);
  return r.stdout.toString().split('\0').slice(0, -1);
}

describe('launch command', () => {
  it('stops through the launcher in the home directory', () => {
    expect(stopCommand(target).text).toBe(`cd "$HOME"/spark-vllm-docker && ./launch-cluster.sh stop`);
  });

  it('launches solo, detached, with exactly the serve args', () => {
    const argv = argvOf(launchCommand(model(), target).text);
    expect(argv).toEqual(['--solo', '-d', 'exec', 'vllm', 'serve', ...serveArgs(model(), 8888)]);
  });

  it('launches cluster mode over the fast-link addresses of every vLLM node', () => {
    const m = model({ mode: 'cluster' });
    expect(argvOf(launchCommand(m, target).text).slice(0, 5)).toEqual([
      '-n',
      '192.0.2.101,192.0.2.102',
      '-d',
      'exec',
      'vllm',
    ]);
    expect(nodesFor(m, target).map((n) => n.name)).toEqual(['spark1', 'spark2']);
    expect(() => nodesFor(m, { ...target, nodes: target.nodes.slice(0, 1) })).toThrow(/two vLLM nodes/);
  });

  it('serves a local path with $HOME expanded on the Spark', () => {
    const m = model({ repo: null, path: '~/models/my finetune'.replace(' ', '-') });
    const argv = argvOf(launchCommand(m, target).text);
    expect(argv[5]).toMatch(/^\/.+\/models\/my-finetune$/);
    expect(launchDisplay(m, target)).toContain(`"$HOME"/models/my-finetune`);
  });

  it('names a non-default container', () => {
    expect(argvOf(launchCommand(model(), { ...target, container: 'vllm-gemma' }).text).slice(0, 3)).toEqual([
      '--name',
      'vllm-gemma',
      '--solo',
    ]);
  });

  it('refuses hostile repos, paths and args before building anything', () => {
    expect(() => launchCommand(model({ repo: 'a/b;rm -rf ~' }), target)).toThrow(/repo/i);
    expect(() => launchCommand(model({ repo: null, path: '~/../etc' }), target)).toThrow(/path/i);
    expect(() => launchCommand(model({ effective_args: ['--a', 'x\nrm -rf ~'] }), target)).toThrow(
      /\[1\] contains U\+000A \(a control character\)/,
    );
    expect(() => launchCommand(model({ effective_args: ['--a', '\u0085;touch canary;#'] }), target)).toThrow(
      /U\+0085/,
    );
    expect(() => launchCommand(model({ effective_args: ['--port', '1'] }), target)).toThrow(/--port/);
  });

  it('keeps safe words on the command line and moves values that need quoting into the config file', () => {
    const hostile = ['--x=$(touch /tmp/pwned)', '--y', "'; rm -rf ~; '", '--z', '`id`', '--w', 'a b'];
    const m = model({ effective_args: ['--max-model-len', '1k', ...hostile] });
    const plan = planArgs(m, 'swap_t1');
    expect(argvOf(launchWithPlan(m, target, plan).text).slice(-6)).toEqual([
      '--host',
      '0.0.0.0',
      '--max-model-len',
      '1k',
      '--config',
      `${CONTAINER_CONFIG_DIR}/swap_t1.yaml`,
    ]);
    expect(CONTAINER_CONFIG_DIR).toBe('/root/.cache/huggingface/spark-control');
    expect(parseYaml(plan.config!.yaml)).toEqual({
      x: '$(touch /tmp/pwned)',
      y: "'; rm -rf ~; '",
      z: '`id`',
      w: 'a b',
    });
    expect(planArgs(model(), 'swap_t1').config).toBeNull();
    expect(launchDisplay(model(), target)).not.toContain('--config');
  });

  it('writes the config file from stdin into the HF cache the launcher mounts, honouring HF_HOME', () => {
    const yaml = 'x: "$(touch pwned)"\n';
    const write = writeConfigCommand('swap_t1').text;
    const run = (setup: string, dir: string) =>
      runShellSandboxed(
        `${setup} printf 'x: "$(touch pwned)"\\n' | { ${write}; } && cat ${dir}/spark-control/swap_t1.yaml && ls -A ${dir}/spark-control && ls -A`,
      );
    const r = run('', '"$HOME"/.cache/huggingface');
    expect(r.stdout.toString()).toBe(`${yaml}swap_t1.yaml\n.cache\n`);
    const custom = run('export HF_HOME="$PWD/hf";', '"$PWD"/hf');
    expect(custom.stdout.toString()).toBe(`${yaml}swap_t1.yaml\nhf\n`);
    expect(() => writeConfigCommand('../x')).toThrow();
  });
});
