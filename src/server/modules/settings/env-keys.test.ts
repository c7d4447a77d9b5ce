import { describe, expect, it } from 'vitest';
import type { SettingsDocument } from '../../../common/config-api.js';
import { envChangeProblems, envKeys, getPath, restoreFileValues, setPath } from './env-keys.js';

const effective: SettingsDocument = {
  nodes: [
    { name: 'spark1', host: 'spark1.local', user: 'alice' },
    { name: 'spark2', host: '192.0.2.2', user: 'bob' },
  ],
  vllm: { port: 9000, container: 'vllm_node' },
  secrets: { ngc_api_key: 'from-env' },
};
const env = {
  'nodes.1.host': 'SPARK2_HOST',
  'nodes.1.user': 'SPARK2_USER',
  'vllm.port': 'VLLM_PORT',
  'secrets.ngc_api_key': 'NGC_API_KEY',
};

describe('envKeys', () => {
  it('names keys in the page coordinates', () => {
    expect(
      envKeys(
        new Map([
          ['ngc_api_key', 'NGC_API_KEY'],
          ['vllm.port', 'VLLM_PORT'],
        ]),
      ),
    ).toEqual({
      'secrets.ngc_api_key': 'NGC_API_KEY',
      'vllm.port': 'VLLM_PORT',
    });
  });
});

describe('envChangeProblems', () => {
  it('accepts the environment values sent back unchanged, in any node order', () => {
    const same = structuredClone(effective);
    same.nodes!.reverse();
    expect(envChangeProblems(same, effective, env)).toEqual([]);
  });

  it('names the variable for each changed key, at the row the page shows', () => {
    const changed = structuredClone(effective);
    changed.nodes!.reverse();
    changed.nodes![0]!.host = '192.0.2.9';
    changed.vllm!.port = 9001;
    changed.secrets = { ngc_api_key: 'other' };
    const problems = envChangeProblems(changed, effective, env);
    expect(problems.map((p) => p.path).sort()).toEqual(['nodes.0.host', 'secrets.ngc_api_key', 'vllm.port']);
    expect(problems.find((p) => p.path === 'nodes.0.host')?.message).toMatch(/SPARK2_HOST/);
    expect(problems.find((p) => p.path === 'vllm.port')?.message).toMatch(/VLLM_PORT/);
  });

  it('refuses removing a node the environment makes, once', () => {
    const removed = { ...structuredClone(effective), nodes: [effective.nodes![0]!] };
    const problems = envChangeProblems(removed, effective, env);
    expect(problems).toEqual([{ path: 'nodes', message: expect.stringMatching(/spark2.*SPARK2_/) }]);
  });
});

describe('restoreFileValues', () => {
  it('gives environment keys back their file values and never writes environment values', () => {
    const currentFile: SettingsDocument = {
      nodes: [{ name: 'spark1', host: 'spark1.local', user: 'alice' }],
      vllm: { port: 8888 },
    };
    const submitted = structuredClone(effective);
    submitted.cluster_name = 'New';
    const { validate, write } = restoreFileValues(submitted, currentFile, effective, env);
    expect(write).toEqual({
      cluster_name: 'New',
      nodes: [{ name: 'spark1', host: 'spark1.local', user: 'alice' }],
      vllm: { port: 8888, container: 'vllm_node' },
    });
    // For validation the environment's node keeps its row, so problem indices match the page.
    expect(validate.nodes?.map((n) => n.name)).toEqual(['spark1', 'spark2']);
  });
});

describe('getPath / setPath', () => {
  it('walk lists by index and create objects on the way', () => {
    const doc: Record<string, unknown> = { nodes: [{ name: 'a' }] };
    expect(getPath(doc, 'nodes.0.name')).toBe('a');
    expect(getPath(doc, 'nodes.3.name')).toBeUndefined();
    setPath(doc, 'gateway.max_body_mb', 4);
    setPath(doc, 'metrics.token', undefined);
    setPath(doc, 'auth.admin_tokens', [1]);
    setPath(doc, 'auth.admin_tokens', undefined);
    expect(doc).toEqual({ nodes: [{ name: 'a' }], gateway: { max_body_mb: 4 } });
  });
});
