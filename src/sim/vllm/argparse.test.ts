import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatUsage, humanReadableInt, parseVllmCli, parseWithParser, TOP_USAGE } from './argparse.js';
import { VLLM_SERVE_FLAGS } from './flags.js';
import { planServe } from './serve-plan.js';

const serve = (...args: string[]) => parseVllmCli(['serve', ...args], '0.11.1');

describe('vLLM flag table', () => {
  it('holds vLLM’s serve options once each, with the ones the launcher and catalog rely on', () => {
    const names = VLLM_SERVE_FLAGS.flatMap((f) => f.names);
    expect(new Set(names).size).toBe(names.length);
    expect(VLLM_SERVE_FLAGS.length).toBeGreaterThan(180);
    for (const n of [
      '--max-num-batched-tokens',
      '--moe-backend',
      '--nnodes',
      '--headless',
      '-tp',
      '--port',
    ]) {
      expect(names).toContain(n);
    }
  });
});

describe('vllm serve argument parsing', () => {
  it('accepts both spellings, --flag=value and --flag value, booleans and --no- negations', () => {
    const r = serve(
      'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8',
      '--port',
      '8000',
      '--moe_backend=FlashInfer-Cutlass',
      '--max-num-batched-tokens=16k',
      '--no-enable-prefix-caching',
      '--enforce-eager',
      '-tp',
      '2',
      '--served-model-name',
      'a',
      'b',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.args.model).toBe('Qwen/Qwen3-30B-A3B-Instruct-2507-FP8');
    expect(r.args.values).toMatchObject({
      port: 8000,
      moe_backend: 'flashinfer_cutlass',
      max_num_batched_tokens: 16000,
      enable_prefix_caching: false,
      enforce_eager: true,
      tensor_parallel_size: 2,
      served_model_name: ['a', 'b'],
    });
  });

  it('rejects an unknown flag with argparse’s top-level usage and exit 2', () => {
    const r = serve('Qwen/Qwen3-30B-A3B-Instruct-2507-FP8', '--port', '8000', '--temperature', '0.8');
    expect(r).toEqual({
      ok: false,
      code: 2,
      stderr: `${TOP_USAGE}\nvllm: error: unrecognized arguments: --temperature 0.8\n`,
    });
    expect(TOP_USAGE).toBe('usage: vllm [-h] [-v] {chat,complete,serve,bench,collect-env,run-batch} ...');
  });

  it('reports bad values from the serve subparser, as argparse words them', () => {
    expect(serve('m', '--port', 'abc')).toMatchObject({
      code: 2,
      stderr:
        "usage: vllm serve [model_tag] [options]\nvllm serve: error: argument --port: invalid int value: 'abc'\n",
    });
    expect(serve('m', '--tensor-parallel-size')).toMatchObject({
      stderr: expect.stringContaining('argument --tensor-parallel-size/-tp: expected one argument'),
    });
    expect(serve('m', '--kv-cache-dtype', 'fp4')).toMatchObject({
      stderr: expect.stringContaining(
        "argument --kv-cache-dtype: invalid choice: 'fp4' (choose from 'auto',",
      ),
    });
    expect(serve('m', '--enforce-eager=yes')).toMatchObject({
      stderr: expect.stringContaining(
        "argument --enforce-eager/--no-enforce-eager: ignored explicit argument 'yes'",
      ),
    });
    expect(serve('m', '--max')).toMatchObject({
      stderr: expect.stringContaining('ambiguous option: --max could match'),
    });
    expect(parseVllmCli(['--version'], '0.11.1')).toMatchObject({ code: 0, stdout: '0.11.1\n' });
  });

  it('parses human-readable integers like vLLM', () => {
    expect([
      humanReadableInt('2048'),
      humanReadableInt('16k'),
      humanReadableInt('16K'),
      humanReadableInt('1.5k'),
    ]).toEqual([2048, 16000, 16384, 1500]);
    expect(humanReadableInt('1.5K')).toBeUndefined();
  });

  it('answers a script’s make_arg_parser parser with the generated usage and its prog', () => {
    expect(
      parseWithParser(['--model', 'm', '--port', '8000', '--enable-prefix-caching'], 'vllm serve').ok,
    ).toBe(true);
    const bad = parseWithParser(['m', '--temperature', '0.8'], 'vllm serve');
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    const lines = bad.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('usage: vllm serve [-h] [--headless] [--api-server-count API_SERVER_COUNT]');
    expect(lines.at(-1)).toBe('vllm serve: error: unrecognized arguments: --temperature 0.8');
    // With the model given as --model, argparse hands the stray value to the free model_tag
    // positional (as Python does), so only the flag is left over.
    const viaOption = parseWithParser(['--model', 'm', '--temperature', '0.8'], 'vllm serve');
    expect(viaOption.ok ? '' : viaOption.stderr.trimEnd().split('\n').at(-1)).toBe(
      'vllm serve: error: unrecognized arguments: --temperature',
    );
    // Wrapped like HelpFormatter: continuation lines indented under the first option.
    expect(formatUsage('vllm serve').split('\n')[1]).toMatch(/^ {18}\[--/);
  });
});

describe('serve plan', () => {
  const plan = (...args: string[]) => {
    const r = serve(...args);
    if (!r.ok) throw new Error(r.stderr);
    return planServe(r.args, { home: '/nonexistent', cwd: '/', nodes: 1 });
  };

  it('fails multimodal and hybrid models at engine init below their batched-token need', () => {
    const vl = plan('Qwen/Qwen3-VL-30B-A3B-Instruct-FP8');
    expect(vl).toMatchObject({ kind: 'load', failure: { kind: 'mm-budget' } });
    expect(vl.kind === 'load' && vl.failure?.error[0]).toBe(
      'ValueError: Chunked MM input disabled but max_tokens_per_mm_item (2496) is larger than max_num_batched_tokens (2048). Please increase max_num_batched_tokens.',
    );
    const next = plan('Qwen/Qwen3-Next-80B-A3B-Instruct-FP8');
    expect(next.kind === 'load' && next.failure?.error[0]).toBe(
      'AssertionError: In Mamba cache align mode, block_size (2096) must be <= max_num_batched_tokens (2048).',
    );
    const fixed = plan('Qwen/Qwen3-VL-30B-A3B-Instruct-FP8', '--max-num-batched-tokens=16384');
    expect(fixed.kind === 'load' && fixed.failure).toBeUndefined();
  });

  it('knows models by name when the table does not, and refuses what vLLM refuses', () => {
    expect(plan('acme/Foo-VL-7B')).toMatchObject({ failure: { kind: 'mm-budget' } });
    expect(plan('acme/Nemotron-H-8B')).toMatchObject({ failure: { kind: 'mamba-block' } });
    expect(plan('nvidia/Qwen3-235B-A22B-FP4')).toMatchObject({ failure: { kind: 'oom' } });
    expect(plan('/models/missing').kind).toBe('config-error');
    expect(plan('openai/gpt-oss-120b', '--max-model-len', '300000').kind).toBe('config-error');
    const named = plan('openai/gpt-oss-120b', '--max-model-len=32k', '--served-model-name', 'gpt');
    expect(named).toMatchObject({ settings: { maxModelLen: 32000, servedNames: ['gpt'] } });
  });

  it('reads a local model directory’s config.json, and refuses a directory without one', () => {
    const home = mkdtempSync(join(tmpdir(), 'sim-facts-'));
    try {
      const dir = join(home, 'models', 'my-vl');
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify({
          architectures: ['Qwen2_5_VLForConditionalGeneration'],
          vision_config: { depth: 32 },
          text_config: { max_position_embeddings: 128000, model_type: 'qwen2_5_vl_text' },
        }),
      );
      writeFileSync(join(dir, 'model.safetensors'), '');
      const r = serve(dir, '--max-num-batched-tokens', '8192');
      if (!r.ok) throw new Error(r.stderr);
      const p = planServe(r.args, { home, cwd: home, nodes: 1 });
      expect(p).toMatchObject({
        kind: 'load',
        settings: { maxModelLen: 128000, facts: { multimodal: true } },
      });
      const rel = serve('models/my-vl');
      if (!rel.ok) throw new Error(rel.stderr);
      expect(planServe(rel.args, { home, cwd: home, nodes: 1 })).toMatchObject({
        failure: { kind: 'mm-budget' },
      });
      mkdirSync(join(home, 'models', 'empty'));
      const empty = serve(join(home, 'models', 'empty'));
      if (!empty.ok) throw new Error(empty.stderr);
      const refused = planServe(empty.args, { home, cwd: home, nodes: 1 });
      expect(refused.kind === 'config-error' && refused.lines({ api: 1, engine: 2 }).join('\n')).toContain(
        "ValueError: Invalid repository ID or local directory specified: '",
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
