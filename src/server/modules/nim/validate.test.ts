import { describe, expect, it } from 'vitest';
import type { NimInstallRequest } from '../../../common/services-api.js';
import { AppError } from '../../platform/http/errors.js';
import { validateEnv, validateInstall, validateVolume, type InstallContext } from './validate.js';

const ctx: InstallContext = {
  nodes: ['spark1', 'spark2'],
  portsInUse: (node) => (node === 'spark2' ? [{ port: 9000, owner: 'service magpie' }] : []),
};
const base: NimInstallRequest = {
  image: 'nvcr.io/nim/nvidia/parakeet-1-1b-ctc-en-us:latest',
  container: 'asr-nim',
  port: 9001,
  volume: '~/.cache/nim',
  node: 'spark2',
};

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return `${e.status} ${e.message}`;
    throw e;
  }
  return 'ok';
}

describe('validateInstall', () => {
  it('refuses a container that cannot name a service card before anything runs, unless not registered', () => {
    expect(codeOf(() => validateInstall({ ...base, container: 'Riva-NIM' }, ctx))).toMatch(
      /^400 container "Riva-NIM" cannot name a service card .*register_service: false/,
    );
    expect(validateInstall({ ...base, container: 'Riva-NIM', register_service: false }, ctx)).toMatchObject({
      container: 'Riva-NIM',
      register: false,
    });
  });

  it('normalizes a good request (kind from the catalog, env sorted, registered by default)', () => {
    const v = validateInstall({ ...base, env: { Z_LAST: '1', A_FIRST: 'x y' } }, ctx);
    expect(v).toMatchObject({ kind: 'asr', register: true, volume: { kind: 'path', value: '~/.cache/nim' } });
    expect(v.env).toEqual([
      ['A_FIRST', 'x y'],
      ['Z_LAST', '1'],
    ]);
    expect(
      validateInstall({ ...base, image: 'registry.example.com/x:1', register_service: false }, ctx),
    ).toMatchObject({
      kind: 'nim',
      register: false,
    });
  });

  it.each([
    [{ image: 'nvcr.io/x;id' }, /^400 image/],
    [{ container: '../x' }, /^400 container/],
    [{ port: 0 }, /^400 port/],
    [{ node: 'spark9' }, /^400 node "spark9" is not a configured node/],
    [{ volume: 'a b' }, /^400 volume/],
    [{ env: { 'BAD-NAME': '1' } }, /^400 env\.BAD-NAME/],
    [{ env: { NIM_HTTP_API_PORT: '9000' } }, /^400 env\.NIM_HTTP_API_PORT must equal port \(9001\)/],
    [{ port: 9000 }, /^409 port 9000 on spark2 is already used by service magpie/],
  ])('refuses %j', (over, message) => {
    expect(codeOf(() => validateInstall({ ...base, ...over } as NimInstallRequest, ctx))).toMatch(message);
  });
});

describe('validateVolume', () => {
  it('tells named volumes from host paths', () => {
    expect(validateVolume('nim-cache')).toEqual({ kind: 'named', value: 'nim-cache' });
    expect(validateVolume('/data/nim/')).toEqual({ kind: 'path', value: '/data/nim' });
  });
  it.each(['', '~', '/', '/a/../b', '-v', 'x:y', '$(id)', 42])('refuses %j', (v) => {
    expect(codeOf(() => validateVolume(v))).toMatch(/^400 volume/);
  });
});

describe('validateEnv', () => {
  it.each([
    [{ NGC_API_KEY: 'x' }, /set from the NGC key setting/],
    [{ A: 'tab\there' }, /control characters/],
    [{ A: 'u\u2028' }, /control characters/],
    [{ A: 1 }, /must be a string/],
    [{ '1A': 'x' }, /not a variable name/],
    [['A=1'], /must be an object/],
  ])('refuses %j', (env, message) => {
    expect(codeOf(() => validateEnv(env))).toMatch(message);
  });
  it('accepts values the shell would mangle (they are quoted at the sink)', () => {
    expect(validateEnv({ A: `it's $HOME; "x" \`y\`` })).toEqual([['A', `it's $HOME; "x" \`y\``]]);
  });
});
