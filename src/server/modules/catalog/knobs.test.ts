import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Knobs } from '../../../common/api.js';
import { AppError } from '../../platform/http/errors.js';
import { applyKnobs, changedKnobs, extractKnobs, parseModelLen, validateKnobs } from './knobs.js';

const NONE: Knobs = {
  max_model_len: null,
  gpu_memory_utilization: null,
  fastsafetensors: false,
  prefix_caching: false,
  fp8_kv_cache: false,
};

describe('extractKnobs', () => {
  it.each<[string, string[], Partial<Knobs>]>([
    ['nothing', [], {}],
    ['spaced value', ['--max-model-len', '32768'], { max_model_len: 32768 }],
    ['= value', ['--max-model-len=32768'], { max_model_len: 32768 }],
    ['underscore spelling', ['--max_model_len', '4096'], { max_model_len: 4096 }],
    ['underscore with =', ['--gpu_memory_utilization=0.75'], { gpu_memory_utilization: 0.75 }],
    ['human-readable k', ['--max-model-len', '64k'], { max_model_len: 64000 }],
    ['human-readable K', ['--max-model-len=128K'], { max_model_len: 131072 }],
    ['auto length is "vLLM decides"', ['--max-model-len', 'auto'], {}],
    ['utilization out of range is ignored', ['--gpu-memory-utilization', '1.5'], {}],
    ['fastsafetensors', ['--load-format', 'fastsafetensors'], { fastsafetensors: true }],
    ['other load format', ['--load-format=safetensors'], {}],
    ['prefix caching', ['--enable-prefix-caching'], { prefix_caching: true }],
    ['prefix caching, underscores', ['--enable_prefix_caching'], { prefix_caching: true }],
    ['prefix caching turned off later', ['--enable-prefix-caching', '--no-enable-prefix-caching'], {}],
    ['fp8 kv cache', ['--kv-cache-dtype', 'fp8'], { fp8_kv_cache: true }],
    ['fp8_e5m2 kv cache', ['--kv_cache_dtype=fp8_e5m2'], { fp8_kv_cache: true }],
    [
      'the last occurrence wins',
      ['--max-model-len=1024', '--max-model-len', '2048'],
      { max_model_len: 2048 },
    ],
    [
      'unrelated flags around them',
      ['--trust-remote-code', '--max-model-len', '8192', '--tool-call-parser', 'hermes'],
      { max_model_len: 8192 },
    ],
    ['a flag without its value', ['--max-model-len', '--enable-prefix-caching'], { prefix_caching: true }],
  ])('%s', (_name, args, want) => {
    expect(extractKnobs(args)).toEqual({ ...NONE, ...want });
  });

  it('reads human-readable lengths the way vLLM does', () => {
    expect(parseModelLen('1.5k')).toBe(1500);
    expect(parseModelLen('1M')).toBe(1048576);
    expect(parseModelLen('1.5K')).toBeNull();
    expect(parseModelLen('-1')).toBeNull();
    expect(parseModelLen('0')).toBeNull();
  });
});

describe('applyKnobs', () => {
  it.each<[string, string[], Partial<Knobs>, string[]]>([
    ['no knobs: args untouched', ['--a', '1', '--b'], {}, ['--a', '1', '--b']],
    [
      'replaces a bundled flag in any spelling',
      ['--x', '--max_model_len=1024', '--y', 'v', '--max-model-len', '2048'],
      { max_model_len: 4096 },
      ['--x', '--y', 'v', '--max-model-len', '4096'],
    ],
    [
      'null removes the flag',
      ['--gpu-memory-utilization', '0.7', '--z'],
      { gpu_memory_utilization: null },
      ['--z'],
    ],
    [
      'fastsafetensors replaces another load format',
      ['--load-format=safetensors'],
      { fastsafetensors: true },
      ['--load-format', 'fastsafetensors'],
    ],
    [
      'false strips only the value that turns it on',
      ['--load-format', 'fastsafetensors', '--kv-cache-dtype', 'nvfp4', '--kv-cache-dtype=fp8'],
      { fastsafetensors: false, fp8_kv_cache: false },
      ['--kv-cache-dtype', 'nvfp4'],
    ],
    [
      'prefix caching on replaces an explicit off',
      ['--no-enable-prefix-caching'],
      { prefix_caching: true },
      ['--enable-prefix-caching'],
    ],
    [
      'prefix caching off removes the flag',
      ['--enable_prefix_caching', '--q'],
      { prefix_caching: false },
      ['--q'],
    ],
    [
      'appends in a fixed order',
      [],
      { fp8_kv_cache: true, max_model_len: 10, prefix_caching: true, gpu_memory_utilization: 0.5 },
      '--max-model-len 10 --gpu-memory-utilization 0.5 --enable-prefix-caching --kv-cache-dtype fp8'.split(
        ' ',
      ),
    ],
  ])('%s', (_name, args, knobs, want) => {
    expect(applyKnobs(args, knobs)).toEqual(want);
  });
});

// ─── Properties ────────────────────────────────────────────────────────────────────────────────

const knobsArb: fc.Arbitrary<Partial<Knobs>> = fc.record(
  {
    max_model_len: fc.option(fc.integer({ min: 1, max: 16_777_216 }), { nil: null }),
    gpu_memory_utilization: fc.option(
      fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }).filter((v) => v > 0),
      { nil: null },
    ),
    fastsafetensors: fc.boolean(),
    prefix_caching: fc.boolean(),
    fp8_kv_cache: fc.boolean(),
  },
  { requiredKeys: [] },
);

const spell = (name: string) =>
  fc.constantFrom(`--${name}`, `--${name.replaceAll('-', '_')}`, `--${name.replace('-', '_')}`);
const valued = (name: string, value: fc.Arbitrary<string>) =>
  fc.tuple(spell(name), value, fc.boolean()).map(([f, v, eq]) => (eq ? [`${f}=${v}`] : [f, v]));

/** A flag the knobs own, in any spelling, with a plausible value. */
const knobSegment: fc.Arbitrary<string[]> = fc.oneof(
  valued('max-model-len', fc.constantFrom('1024', '32k', 'auto', '65536')),
  valued('gpu-memory-utilization', fc.constantFrom('0.5', '0.9', '1')),
  valued('load-format', fc.constantFrom('fastsafetensors', 'safetensors', 'auto')),
  valued('kv-cache-dtype', fc.constantFrom('fp8', 'auto', 'fp8_e4m3', 'bfloat16')),
  spell('enable-prefix-caching').map((f) => [f]),
  spell('no-enable-prefix-caching').map((f) => [f]),
);

/** Args no knob cares about: other flags, with or without values, and bare words. */
const unrelatedSegment: fc.Arbitrary<string[]> = fc.oneof(
  fc
    .constantFrom('--trust-remote-code', '--enforce-eager', '--moe_backend=flashinfer_cutlass')
    .map((f) => [f]),
  fc
    .tuple(
      fc.constantFrom('--tool-call-parser', '--tensor_parallel_size', '--max-num-batched-tokens'),
      fc.string(),
    )
    .filter(([, v]) => !v.startsWith('--'))
    .map(([f, v]) => [f, v]),
);

const argsArb = fc
  .array(fc.tuple(fc.boolean(), knobSegment, unrelatedSegment), { maxLength: 12 })
  .map((parts) => ({
    args: parts.flatMap(([knob, k, u]) => (knob ? k : u)),
    unrelated: parts.flatMap(([knob, , u]) => (knob ? [] : u)),
  }));

describe('knob properties', () => {
  it('apply then extract gives back every knob applied', () => {
    fc.assert(
      fc.property(argsArb, knobsArb, ({ args }, knobs) => {
        const got = extractKnobs(applyKnobs(args, knobs));
        for (const [name, value] of Object.entries(knobs)) expect(got[name as keyof Knobs]).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it('applying twice is the same as applying once', () => {
    fc.assert(
      fc.property(argsArb, knobsArb, ({ args }, knobs) => {
        const once = applyKnobs(args, knobs);
        expect(applyKnobs(once, knobs)).toEqual(once);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps every unrelated arg, in order', () => {
    const isSubsequence = (sub: string[], of: string[]) => {
      let i = 0;
      for (const t of of) if (i < sub.length && t === sub[i]) i++;
      return i === sub.length;
    };
    fc.assert(
      fc.property(argsArb, knobsArb, ({ args, unrelated }, knobs) => {
        expect(isSubsequence(unrelated, applyKnobs(args, knobs))).toBe(true);
        // Knobs that own every flag they match leave exactly the unrelated args, then their own.
        const all: Knobs = { ...NONE, max_model_len: 1, gpu_memory_utilization: 1, fastsafetensors: true };
        const out = applyKnobs(args, { ...all, prefix_caching: true, fp8_kv_cache: true });
        expect(out.slice(0, unrelated.length)).toEqual(unrelated);
        expect(out.length).toBe(unrelated.length + 9);
      }),
      { numRuns: 500 },
    );
  });

  it('applying what the args already say changes nothing they mean', () => {
    fc.assert(
      fc.property(argsArb, ({ args }) => {
        expect(extractKnobs(applyKnobs(args, extractKnobs(args)))).toEqual(extractKnobs(args));
        expect(changedKnobs(extractKnobs(args), extractKnobs(args))).toEqual({});
      }),
      { numRuns: 300 },
    );
  });
});

describe('validateKnobs', () => {
  it('accepts partial knobs and nulls', () => {
    expect(validateKnobs({})).toEqual({});
    expect(validateKnobs({ max_model_len: null, gpu_memory_utilization: 1, fp8_kv_cache: true })).toEqual({
      max_model_len: null,
      gpu_memory_utilization: 1,
      fp8_kv_cache: true,
    });
  });

  it.each<[string, unknown]>([
    ['not an object', 'x'],
    ['an array', []],
    ['null', null],
    ['unknown field', { temperature: 0.7 }],
    ['utilization 0', { gpu_memory_utilization: 0 }],
    ['utilization above 1', { gpu_memory_utilization: 1.01 }],
    ['utilization negative', { gpu_memory_utilization: -0.5 }],
    ['utilization as text', { gpu_memory_utilization: '0.5' }],
    ['length 0', { max_model_len: 0 }],
    ['negative length', { max_model_len: -4096 }],
    ['fractional length', { max_model_len: 4096.5 }],
    ['absurd length', { max_model_len: 1e12 }],
    ['length as text', { max_model_len: '4096' }],
    ['toggle as text', { prefix_caching: 'true' }],
    ['toggle as null', { fastsafetensors: null }],
  ])('refuses %s with a 400', (_name, input) => {
    try {
      validateKnobs(input);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).status).toBe(400);
      expect((e as AppError).code).toBe('INVALID_INPUT');
    }
  });
});
