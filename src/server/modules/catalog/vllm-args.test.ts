import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseVllmCli } from '../../../sim/vllm/argparse.js';
import { canonicalFlag, flagValue, hasFlag, isValueToken, parseFlag, segmentArgs } from './vllm-args.js';

const BATCHED = '--max-num-batched-tokens';

describe('canonicalFlag', () => {
  it.each([
    ['--max_num_batched_tokens', BATCHED],
    ['--max-num_batched-tokens', BATCHED],
    [BATCHED, BATCHED],
    // A dotted key is JSON: only the flag's own name is rewritten (FlexibleArgumentParser).
    ['--compilation_config.cudagraph_mode', '--compilation-config.cudagraph_mode'],
    ['-tp', '-tp'],
    ['model_tag', 'model_tag'],
  ])('%s → %s', (given, canonical) => expect(canonicalFlag(given)).toBe(canonical));
});

describe('parseFlag', () => {
  it('splits the name from an inline value at the first =', () => {
    expect(parseFlag('--hf_overrides=a=b')).toEqual({ name: '--hf-overrides', inline: 'a=b' });
    expect(parseFlag('--x=')).toEqual({ name: '--x', inline: '' });
    expect(parseFlag('--enforce_eager')).toEqual({ name: '--enforce-eager', inline: undefined });
    for (const notLong of ['-tp', '--', 'value', '-1']) expect(parseFlag(notLong)).toBeNull();
  });
});

describe('flagValue', () => {
  it.each([
    [[BATCHED, '16384'], '16384'],
    [['--max-num-batched-tokens=8192'], '8192'],
    [['--max_num_batched_tokens=4096'], '4096'],
    [['--max_num_batched_tokens', '4096'], '4096'],
    [['--max-num_batched-tokens', '2048'], '2048'],
    [['--max_num_batched_tokens=1', BATCHED, '2'], '2'], // last one wins
    [[BATCHED, '-1'], '-1'], // argparse reads a negative number as a value
    [[BATCHED, '-tp', '2'], null], // …and any other dash word as the next option
    [[BATCHED], null],
    [[BATCHED, '--enforce-eager'], null],
    [['--max-num-batched-tokens-x', '1', '--other', '16384'], null],
    [['-max-num-batched-tokens', '1'], null],
  ])('%j → %s', (args, expected) => expect(flagValue(args, BATCHED)).toBe(expected));

  it('accepts the asked-for flag in either spelling, dotted keys included', () => {
    expect(flagValue(['--served_model_name', 'm'], '--served_model_name')).toBe('m');
    expect(flagValue(['--compilation_config.level=3'], '--compilation-config.level')).toBe('3');
    expect(
      flagValue(['--compilation-config.cudagraph_mode=FULL'], '--compilation-config.cudagraph-mode'),
    ).toBe(null);
  });

  it('agrees with the simulated vLLM parser on any mix of spellings and forms', () => {
    const spelling = fc.constantFrom(BATCHED, '--max_num_batched_tokens', '--max-num_batched-tokens');
    const batched = fc
      .tuple(spelling, fc.integer({ min: 1, max: 1_000_000 }), fc.boolean())
      .map(([flag, n, inline]) => (inline ? [`${flag}=${n}`] : [flag, String(n)]));
    const other = fc.constantFrom(
      ['--enforce-eager'],
      ['--port', '8000'],
      ['--max_model_len=4096'],
      ['-tp', '2'],
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(batched, other), { maxLength: 6 }), (groups) => {
        const args = groups.flat();
        const parsed = parseVllmCli(['serve', 'org/model', ...args], '0.11.1');
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const value = flagValue(args, BATCHED);
        expect(value === null ? undefined : Number(value)).toBe(parsed.args.values.max_num_batched_tokens);
      }),
    );
  });
});

describe('hasFlag', () => {
  it('finds any spelling, with or without a value', () => {
    expect(hasFlag(['--served_model_name=x'], '--served-model-name')).toBe(true);
    expect(hasFlag(['--enforce-eager'], '--enforce_eager')).toBe(true);
    expect(hasFlag(['--served-model-names', 'x'], '--served-model-name')).toBe(false);
  });
});

describe('segmentArgs', () => {
  it('re-joins to exactly the input, whatever the tokens', () => {
    const token = fc.oneof(
      fc.constantFrom(BATCHED, '--max_num_batched_tokens=9', '--enforce-eager', '-1', '-tp', '--', ''),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 10 }), (args) => {
        const segments = segmentArgs(args, new Set([BATCHED]), new Set(['--enforce-eager']));
        expect(segments.flatMap((s) => s.tokens)).toEqual(args);
      }),
    );
  });

  it('takes a value only when argparse would', () => {
    expect(isValueToken('16384')).toBe(true);
    expect(isValueToken('-0.5')).toBe(true);
    expect(isValueToken('-.5')).toBe(true);
    expect(isValueToken('-tp')).toBe(false);
    expect(isValueToken('--x')).toBe(false);
  });
});
