import { describe, expect, it } from 'vitest';
import { AppError } from '../http/errors.js';
import {
  validateContainerName,
  validateHomeDirname,
  validateHomeRelPath,
  validateHostName,
  validateImage,
  validateMac,
  validateNodeName,
  validatePath,
  validatePort,
  validateRepo,
  validateUser,
} from './validators.js';

// Inputs any field must refuse: shell metacharacters, control characters, traversal, non-strings.
const HOSTILE: unknown[] = [
  '',
  '   ',
  '$(id)',
  '`id`',
  'a;b',
  'a b',
  'a|b',
  'a&b',
  'a\nb',
  'a\0b',
  "a'b",
  'a"b',
  'a\\b',
  '../x',
  '*',
  null,
  undefined,
  42.5,
  {},
  ['a'],
];

type Validator = (v: unknown, field?: string) => unknown;

function table(name: string, fn: Validator, good: [unknown, unknown][], bad: unknown[]): void {
  describe(name, () => {
    it.each(good)('accepts %j', (input, want) => {
      expect(fn(input)).toEqual(want);
    });
    it.each(bad.map((b) => [b]))('rejects %j', (input) => {
      let err: unknown;
      try {
        fn(input, 'the_field');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('INVALID_INPUT');
      expect((err as AppError).message).toMatch(/^the_field /);
    });
  });
}

table(
  'validateRepo',
  validateRepo,
  [
    ['meta-llama/Llama-3.1-8B-Instruct', 'meta-llama/Llama-3.1-8B-Instruct'],
    [' Qwen/Qwen3-30B-A3B-FP8 ', 'Qwen/Qwen3-30B-A3B-FP8'],
    ['nvidia/parakeet_tdt.v2', 'nvidia/parakeet_tdt.v2'],
  ],
  [
    ...HOSTILE,
    'org',
    'org/',
    '/name',
    'a/b/c',
    'org/..',
    'org/a..b',
    'org/a--b',
    '-org/x',
    'org/x.',
    `o/${'x'.repeat(97)}`,
  ],
);

table(
  'validateImage',
  validateImage,
  [
    ['vllm/vllm-openai:latest', 'vllm/vllm-openai:latest'],
    ['nvcr.io/nim/nvidia/parakeet-1-1b-ctc-en-us:1.3.0', 'nvcr.io/nim/nvidia/parakeet-1-1b-ctc-en-us:1.3.0'],
    ['registry.example.com:5000/team/img', 'registry.example.com:5000/team/img'],
    ['localhost/img:dev', 'localhost/img:dev'],
    ['ubuntu', 'ubuntu'],
    [`alpine@sha256:${'a'.repeat(64)}`, `alpine@sha256:${'a'.repeat(64)}`],
    [`my_org/app__x:v1.2-rc@sha256:${'0'.repeat(64)}`, `my_org/app__x:v1.2-rc@sha256:${'0'.repeat(64)}`],
  ],
  [
    ...HOSTILE,
    'Ubuntu',
    'img:',
    'img:-tag',
    'a/-b',
    'a//b',
    '-img',
    'img@sha256:abc',
    'Team/img',
    'img:tag;id',
    'a_/b',
  ],
);

table(
  'validateContainerName',
  validateContainerName,
  [
    ['vllm_node', 'vllm_node'],
    ['parakeet-asr', 'parakeet-asr'],
    ['Magpie.TTS-2', 'Magpie.TTS-2'],
  ],
  [...HOSTILE, '-x', '.x', '_x', '/vllm', 'a/b', 'x'.repeat(129)],
);

table(
  'validatePath',
  validatePath,
  [
    ['/data/models', '/data/models'],
    ['~/spark-vllm-docker/', '~/spark-vllm-docker'],
    ['~/.cache/huggingface/hub', '~/.cache/huggingface/hub'],
    ['~', '~'],
    ['/', '/'],
    ['/a/b@c+d', '/a/b@c+d'],
  ],
  [
    ...HOSTILE,
    'relative/x',
    '~user/x',
    '~x',
    '/a//b',
    '/a/../b',
    '/a/./b',
    '/..',
    '~/..',
    '/a b',
    '/a$b',
    '/a~b',
  ],
);

table(
  'validateHomeRelPath',
  validateHomeRelPath,
  [
    ['spark-vllm-docker', 'spark-vllm-docker'],
    ['~/.cache/huggingface/', '.cache/huggingface'],
  ],
  [...HOSTILE, '/abs', '~', '~/', 'a//b', 'a/../b', '.', '..'],
);

table(
  'validateHomeDirname',
  validateHomeDirname,
  [
    ['matrix-bridge', 'matrix-bridge'],
    ['.cache', '.cache'],
  ],
  [...HOSTILE, '.', '..', 'a/b', '-rf', '~', 'x'.repeat(256)],
);

table(
  'validatePort',
  validatePort,
  [
    [8888, 8888],
    ['9000', 9000],
    [' 22 ', 22],
    [65535, 65535],
  ],
  [...HOSTILE, 0, 65536, -1, 1.5, '0x10', '1e3', '8080abc', Number.NaN, Infinity, '999999'],
);

table(
  'validateMac',
  validateMac,
  [
    ['AA:BB:CC:DD:EE:FF', 'aa:bb:cc:dd:ee:ff'],
    ['aa-bb-cc-dd-ee-0f', 'aa:bb:cc:dd:ee:0f'],
    ['aabb.ccdd.eeff', 'aa:bb:cc:dd:ee:ff'],
    ['AABBCCDDEEFF', 'aa:bb:cc:dd:ee:ff'],
  ],
  [
    ...HOSTILE,
    'aa:bb:cc:dd:ee',
    'aa:bb:cc:dd:ee:fg',
    'aa:bb-cc:dd:ee:ff',
    'aabbccddeeff00',
    'aa:bb:cc:dd:ee:ff;',
  ],
);

table(
  'validateHostName',
  validateHostName,
  [
    ['spark1.local', 'spark1.local'],
    ['Spark-2.Example.COM.', 'spark-2.example.com'],
    ['127.0.0.1', '127.0.0.1'],
    ['192.0.2.10', '192.0.2.10'],
    ['::1', '::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['localhost', 'localhost'],
  ],
  [
    ...HOSTILE,
    '-spark',
    'spark-',
    'a..b',
    '256.1.1.1',
    '1.2.3',
    '[::1]',
    'user@host',
    'host:22',
    '::g',
    'a_b_',
  ],
);

table(
  'validateUser',
  validateUser,
  [
    ['alice', 'alice'],
    ['_svc', '_svc'],
    ['bob.smith-2', 'bob.smith-2'],
  ],
  [...HOSTILE, '-alice', '1abc', 'a@b', 'root$', 'x'.repeat(33)],
);

table(
  'validateNodeName',
  validateNodeName,
  [
    ['spark1', 'spark1'],
    ['gpu_node-02', 'gpu_node-02'],
  ],
  [...HOSTILE, 'Spark1', '-x', '_x', 'a.b', 'a/b', 'x'.repeat(33)],
);

describe('error messages', () => {
  it('name the field and show a bounded preview of the value', () => {
    expect(() => validateRepo('x'.repeat(500), 'model')).toThrow(
      /^model must look like "org\/name".*\.\.\.\)$/,
    );
    expect(() => validatePort('abc')).toThrow('port must be a whole number between 1 and 65535 (got "abc")');
  });
});
