import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import Value from 'typebox/value';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from './load.js';
import { ConfigFileSchema } from './schema.js';
import { loadWithFile, problemsOf, tmpDataDir } from '../../../test/helpers/config.js';

const tmp = () => tmpDataDir('sc-config-');
const withFile = loadWithFile;

describe('loadConfig', () => {
  it('defaults to the simulated cluster when nothing is configured', () => {
    const { config, warnings } = loadConfig({ DATA_DIR: tmp() });
    expect(config.simulated).toBe(true);
    expect(config.nodes).toEqual([]);
    expect(config.port).toBe(9999);
    expect(config.vllm.port).toBe(8888);
    expect(warnings).toEqual([]);
  });

  it('builds N nodes from SPARK<n>_* shorthand with speech services on the second node', () => {
    const { config } = loadConfig({
      DATA_DIR: tmp(),
      SPARK1_HOST: 'spark1.local',
      SPARK1_USER: 'alice',
      SPARK1_QSFP_IP: '192.0.2.101',
      SPARK2_HOST: 'spark2.local',
      SPARK2_USER: 'alice',
      SPARK3_HOST: 'spark3.local',
      SPARK3_USER: 'bob',
    });
    expect(config.simulated).toBe(false);
    expect(config.nodes.map((n) => n.name)).toEqual(['spark1', 'spark2', 'spark3']);
    expect(config.nodes[0]?.qsfp_ip).toBe('192.0.2.101');
    expect(config.vllm.nodes).toEqual(['spark1']);
    expect(config.services.parakeet).toMatchObject({ node: 'spark2', port: 8000, container: 'parakeet-asr' });
    expect(config.services.magpie).toMatchObject({ node: 'spark2', port: 9000, container: 'magpie-tts' });
  });

  it('puts everything on the only node of a one-node cluster', () => {
    const { config } = loadConfig({ DATA_DIR: tmp(), SPARK1_HOST: 'solo.local', SPARK1_USER: 'alice' });
    expect(config.services.parakeet?.node).toBe('spark1');
  });

  it('falls back to defaults with a warning for blank or malformed numbers', () => {
    const { config, warnings } = loadConfig({
      DATA_DIR: tmp(),
      SPARK1_HOST: 'a.local',
      SPARK1_USER: 'alice',
      VLLM_PORT: '',
      PORT: 'abc',
      PARAKEET_PORT: '99999',
    });
    expect(config.vllm.port).toBe(8888);
    expect(config.port).toBe(9999);
    expect(config.services.parakeet?.port).toBe(8000);
    expect(warnings).toHaveLength(3);
    expect(warnings.join('\n')).toMatch(/VLLM_PORT is blank/);
  });

  it('treats an empty container name as the default', () => {
    const { config } = loadConfig({
      DATA_DIR: tmp(),
      SPARK1_HOST: 'a.local',
      SPARK1_USER: 'alice',
      PARAKEET_CONTAINER: '',
      MAGPIE_CONTAINER: 'my-tts',
    });
    expect(config.services.parakeet?.container).toBe('parakeet-asr');
    expect(config.services.magpie?.container).toBe('my-tts');
  });

  it('layers defaults < file < environment', () => {
    const { config } = withFile(
      'cluster_name: Lab\nnodes:\n  - { name: spark1, host: file.local, user: alice }\nvllm: { port: 8000 }\n',
      { VLLM_PORT: '8123', SPARK1_HOST: 'env.local', SPARK1_USER: 'bob' },
    );
    expect(config.cluster_name).toBe('Lab');
    expect(config.vllm.port).toBe(8123);
    expect(config.nodes).toHaveLength(1);
    expect(config.nodes[0]).toMatchObject({ host: 'env.local', user: 'bob' });
  });

  it('accepts a blank number in the file with a warning', () => {
    const { config, warnings } = withFile(
      "nodes:\n  - { name: spark1, host: a.local, user: alice, ssh_port: '' }\nvllm: { port: '8000' }\n",
    );
    expect(config.nodes[0]?.ssh_port).toBe(22);
    expect(config.vllm.port).toBe(8000);
    expect(warnings).toEqual(['nodes[0].ssh_port is blank; using the default']);
  });

  it('lists every problem of a malformed file at once', () => {
    const problems = problemsOf(() =>
      withFile(
        [
          'nodes:',
          '  - { name: spark1, host: "bad host;rm", user: alice }',
          '  - { name: spark1, host: b.local, user: alice }',
          'vllm: { nodes: [nowhere] }',
          'services:',
          '  parakeet: { node: ghost, port: 8000, kind: asr }',
          'colour: blue',
        ].join('\n'),
      ),
    );
    const text = problems.join('\n');
    expect(text).toMatch(/nodes\.0\.host/);
    expect(text).toMatch(/colour/);
    expect(problems.length).toBeGreaterThanOrEqual(2);
  });

  it('reports topology problems (duplicate names, unknown nodes) together', () => {
    const problems = problemsOf(() =>
      withFile(
        [
          'nodes:',
          '  - { name: spark1, host: a.local, user: alice }',
          '  - { name: spark1, host: b.local, user: alice }',
          'vllm: { nodes: [nowhere] }',
          'services:',
          '  parakeet: { node: ghost, port: 8000, kind: asr }',
        ].join('\n'),
      ),
    );
    expect(problems).toEqual([
      'nodes: the name "spark1" is used twice',
      'vllm.nodes: "nowhere" is not a configured node',
      'services.parakeet.node: "ghost" is not a configured node',
    ]);
  });

  it('rejects YAML that does not parse and a host without a user', () => {
    expect(problemsOf(() => withFile('nodes: [ {')).join()).toMatch(/not valid YAML/);
    expect(problemsOf(() => loadConfig({ DATA_DIR: tmp(), SPARK1_HOST: 'a.local' }))).toEqual([
      'SPARK1_HOST is set but SPARK1_USER is empty',
    ]);
  });
});

describe('environment values get the same checks as the file', () => {
  const base = { SPARK1_HOST: '127.0.0.1', SPARK1_USER: 'alice' };
  it.each([
    [{ SPARK2_HOST: '127.0.0.1', SPARK2_USER: 'alice', SPARK2_QSFP_IP: '-oProxyCommand=x' }, /qsfp_ip/],
    [{ SPARK1_HOST: '-oProxyCommand=x' }, /nodes\.spark1\.host must be a host name/],
    [{ SPARK1_USER: 'Bad User $(id)' }, /nodes\.0\.user/],
    [{ SPARK1_MAC: 'not-a-mac' }, /nodes\.0\.mac/],
    [{ SWAP_WEBHOOK_URLS: 'file:///etc/passwd' }, /webhooks\.0/],
  ])('refuses %o', (env, problem) => {
    const problems = problemsOf(() => loadConfig({ DATA_DIR: tmp(), ...base, ...env }));
    expect(problems.join('\n')).toMatch(problem);
  });

  it('still loads good values, and the simulated cluster when no node is set', () => {
    const ok = loadConfig({
      DATA_DIR: tmp(),
      ...base,
      SPARK1_MAC: 'AA-BB-CC-DD-EE-FF',
      SPARK2_HOST: 'spark2.local',
      SPARK2_USER: 'alice',
      SPARK2_QSFP_IP: '127.0.0.2',
      SWAP_WEBHOOK_URLS: 'https://hooks.example.com/x',
    });
    expect(ok.config.nodes.map((n) => n.qsfp_ip)).toEqual([null, '127.0.0.2']);
    expect(loadConfig({ DATA_DIR: tmp() }).config.simulated).toBe(true);
  });
});

describe('published config schema', () => {
  const root = new URL('../../../', import.meta.url);
  it('config.schema.json matches the schema the server validates with', () => {
    const published = JSON.parse(readFileSync(new URL('config.schema.json', root), 'utf8'));
    expect(published).toEqual(JSON.parse(JSON.stringify(ConfigFileSchema)));
  });
  it('config.example.yaml is valid and loads', () => {
    const text = readFileSync(new URL('config.example.yaml', root), 'utf8');
    expect([...Value.Errors(ConfigFileSchema, parseYaml(text))]).toEqual([]);
    const { config } = withFile(text);
    expect(config.nodes.map((n) => n.name)).toEqual(['spark1', 'spark2']);
  });
});
