import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  argsProblems,
  configYaml,
  expandedArgv,
  refusedCharProblem,
  SAFE_VALUE,
  splitArgs,
  yamlString,
} from './arg-grammar.js';

describe('refused characters', () => {
  it.each([
    ['\u0085', 'U+0085 (a control character)'],
    ['\u009b', 'U+009B (a control character)'],
    ['\u0000', 'U+0000 (a control character)'],
    ['\n', 'U+000A (a control character)'],
    ['\u007f', 'U+007F (a control character)'],
    ['\u200b', 'U+200B (an invisible format character)'],
    ['\u202e', 'U+202E (an invisible format character)'],
    ['\ufeff', 'U+FEFF (an invisible format character)'],
    ['\u2028', 'U+2028 (a line or paragraph separator)'],
    ['\u2029', 'U+2029 (a line or paragraph separator)'],
    ['\u00a0', 'U+00A0 (a space other than the plain space)'],
    ['\u3000', 'U+3000 (a space other than the plain space)'],
    ['\ud800', 'U+D800 (a lone surrogate, which is not text)'],
  ])('refuses %j as %s, naming the argument', (ch, what) => {
    expect(refusedCharProblem(`ok${ch}`)).toBe(`contains ${what}`);
    expect(argsProblems(['--x', `a${ch}b`])).toEqual([`vllm_args[1] contains ${what}`]);
  });

  it('accepts the plain space and printable unicode (they go to the config file)', () => {
    expect(refusedCharProblem('a b é 😀 中文')).toBeNull();
    expect(argsProblems(['--chat-template', 'héllo {{ x }} 😀'])).toEqual([]);
  });

  it('names the issue reproduction exactly', () => {
    const problems = argsProblems(['\u0085 --distributed-executor-backend=z', '\u0085;touch canary;#']);
    expect(problems).toEqual([
      'vllm_args[0] contains U+0085 (a control character)',
      'vllm_args[1] contains U+0085 (a control character)',
    ]);
  });
});

describe('argument grammar', () => {
  it('accepts the usual shapes', () => {
    const args = [
      '--max-model-len',
      '32768',
      '--gpu-memory-utilization=0.8',
      '--enable-prefix-caching',
      '--moe_backend=flashinfer_cutlass',
      '--compilation-config.level',
      '3',
      '-tp',
      '2',
      '-O3',
      '--served-model-name',
      'a',
      'b',
      '--override-neuron-config',
      '-1',
      '--hf-overrides',
      '{"rope_scaling": {"factor": 4}}',
      '--limit-mm-per-prompt={"image": 2}',
    ];
    expect(argsProblems(args)).toEqual([]);
  });

  it.each([
    [['--port', '1'], /vllm_args\[0\] must not set --port: the swap sets it/],
    [['--host=1.2.3.4'], /must not set --host/],
    [['--config', 'x.yaml'], /must not set --config/],
    [['--por', '1'], /must not set --port/],
    [['--config.x', '1'], /must not set --config/],
    [['--', 'x'], /not a valid flag/],
    [['--a b'], /not a valid flag/],
    [['--x$(id)=1'], /not a valid flag/],
    [['-$x'], /not a valid short flag/],
    [['value-first'], /vllm_args\[0\] is a value with no flag before it/],
    [[''], /must not be empty/],
    [['--x', 'a'.repeat(1025)], /longer than 1024 bytes/],
    [['-O', '{"level": 3}'], /only a long --flag/],
    [['--x=a b', 'c'], /one way/],
    [['--hf-overrides', '{"a": 1}', '--hf_overrides', '{}'], /--hf-overrides appears more than once/],
    [['--compilation-config', '{"a": 1}', '--compilation-config.level', '3'], /appears more than once/],
  ])('refuses %j', (args, msg) => {
    expect(argsProblems(args).join('\n')).toMatch(msg);
  });

  it('keeps safe words on the command line and sends values needing quotes to the file', () => {
    const s = splitArgs([
      '--max-model-len',
      '1k',
      '--hf-overrides',
      '{"a": [1, 2]}',
      '-tp',
      '2',
      '--chat-template=x y',
      '--served-model-name',
      'a',
      "it's",
    ]);
    expect(s.cli).toEqual(['--max-model-len', '1k', '-tp', '2']);
    expect(s.file.map((f) => [f.key, f.values])).toEqual([
      ['hf-overrides', ['{"a": [1, 2]}']],
      ['chat-template', ['x y']],
      ['served-model-name', ['a', "it's"]],
    ]);
  });

  it('every word it leaves on the command line is a flag or a safe value', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { maxLength: 8 }), (raw) => {
        const args = raw.map((a, i) => (i % 2 === 0 ? `--f${i}${a.length > 3 ? `=${a}` : ''}` : a));
        if (argsProblems(args).length > 0) return;
        for (const w of splitArgs(args).cli) {
          const value = w.startsWith('--') ? w.split('=').slice(1).join('=') : w;
          if (value !== '') expect(w.startsWith('-') || SAFE_VALUE.test(w), w).toBe(true);
          if (w.includes('=')) expect(SAFE_VALUE.test(value), w).toBe(true);
        }
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});

describe('config file', () => {
  it('round-trips any accepted value exactly through a YAML reader', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (v) => {
        if (refusedCharProblem(v) !== null || v === '') return;
        expect(parseYaml(`k: ${yamlString(v)}\n`)).toEqual({ k: v });
      }),
      { seed: 11, numRuns: 1000 },
    );
  });

  it('writes one key per file-bound flag; the expanded argv puts them right after the model', () => {
    const { cli, file } = splitArgs(['--a', '1', '--b', 'x "y"', '--c', 'p q', 'r']);
    const doc = parseYaml(configYaml(file)) as Record<string, unknown>;
    expect(doc).toEqual({ b: 'x "y"', c: ['p q', 'r'] });
    expect(expandedArgv('org/m', ['--port', '8000', ...cli], file)).toEqual([
      'org/m',
      '--b',
      'x "y"',
      '--c',
      'p q',
      'r',
      '--port',
      '8000',
      '--a',
      '1',
    ]);
  });
});
