import { runShellSandboxed } from '../../../../test/helpers/unit.js';
import { describe, expect, it } from 'vitest';
import type { NodeConfig } from '../../config/types.js';
import {
  launchCommand,
  launchDisplay,
  nodesFor,
  serveArgs,
  stopCommand,
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

  it('keeps hostile args as single arguments and refuses hostile repos and paths', () => {
    const hostile = ['--x=$(touch /tmp/pwned)', "'; rm -rf ~; '", '`id`', '--y', 'a b'];
    const argv = argvOf(launchCommand(model({ effective_args: hostile }), target).text);
    expect(argv.slice(-5)).toEqual(hostile);
    expect(() => launchCommand(model({ repo: 'a/b;rm -rf ~' }), target)).toThrow(/repo/i);
    expect(() => launchCommand(model({ repo: null, path: '~/../etc' }), target)).toThrow(/path/i);
    expect(() => launchCommand(model({ effective_args: ['--a\nrm -rf ~'] }), target)).toThrow(/line break/);
  });
});
