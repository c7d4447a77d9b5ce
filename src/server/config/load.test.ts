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

  it('falls back to defaults with a warning for blank numbers', () => {
    const { config, warnings } = loadConfig({
      DATA_DIR: tmp(),
      SPARK1_HOST: 'a.local',
      SPARK1_USER: 'alice',
      VLLM_PORT: '',
      PORT: ' ',
      PARAKEET_PORT: '',
    });
    expect(config.vllm.port).toBe(8888);
    expect(config.port).toBe(9999);
    expect(config.services.parakeet?.port).toBe(8000);
    expect(warnings).toEqual([
      'VLLM_PORT is blank; using the default',
      'PARAKEET_PORT is blank; using the default',
      'PORT is blank; using the default',
    ]);
  });

  it('refuses a port that is set but is not a whole number 1–65535, naming the variable', () => {
    const problems = problemsOf(() =>
      loadConfig({
        DATA_DIR: tmp(),
        SPARK1_HOST: 'a.local',
        SPARK1_USER: 'alice',
        SPARK1_SSH_PORT: '22x',
        VLLM_PORT: '0',
        PARAKEET_PORT: '99999',
        MAGPIE_PORT: '9000.5',
        PORT: 'abc',
      }),
    );
    expect(problems).toEqual([
      'PORT: must be a whole number between 0 and 65535 (got "abc")',
      'SPARK1_SSH_PORT: must be a whole number between 1 and 65535 (got "22x")',
      'VLLM_PORT: must be a whole number between 1 and 65535 (got 0)',
      'PARAKEET_PORT: must be a whole number between 1 and 65535 (got 99999)',
      'MAGPIE_PORT: must be a whole number between 1 and 65535 (got "9000.5")',
    ]);
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
    expect(warnings).toEqual(['nodes.0.ssh_port is blank; using the default']);
  });

  it('lists every problem of a malformed file at once: schema, field rules and topology', () => {
    const problems = problemsOf(() =>
      withFile(
        [
          'nodes:',
          '  - { name: spark1, host: "bad host;rm", user: alice }',
          '  - { name: spark1, host: b.local, user: alice }',
          'vllm: { nodes: [nowhere], container: "vllm node", launcher_dir: spark-vllm-docker }',
          'services:',
          '  parakeet: { node: ghost, port: 8000, kind: asr }',
          'colour: blue',
        ].join('\n'),
      ),
    );
    expect(problems).toEqual([
      'colour: is not a known setting',
      'nodes.0.host: must be a host name (like spark1.local) or an IP address (got "bad host;rm")',
      `vllm.container: must start with a letter or digit and contain only letters, digits, '_', '.', '-' (got "vllm node")`,
      `vllm.launcher_dir: must be an absolute path like "/home/alice/spark-vllm-docker" or a path in the SSH user's home like "~/spark-vllm-docker" (got "spark-vllm-docker")`,
      'nodes.1.name: "spark1" is already the name of nodes.0',
      'vllm.nodes.0: "nowhere" is not a configured node (configured: spark1)',
      'services.parakeet.node: "ghost" is not a configured node (configured: spark1)',
    ]);
  });

  it('lists file and environment problems together, each at its key or variable', () => {
    const problems = problemsOf(() =>
      withFile(
        [
          'nodes:',
          '  - { name: spark1, host: a.local, user: alice, ssh_port: 70000 }',
          'vllm: { nodes: [spark1, spark9] }',
          'webhooks: ["ftp://192.0.2.1/x"]',
        ].join('\n'),
        {
          SPARK2_HOST: 'b.local',
          SPARK2_USER: 'Bad User $(id)',
          SPARK3_HOST: 'c.local',
          MAGPIE_CONTAINER: '-x',
        },
      ),
    );
    expect(problems.map((p) => p.slice(0, p.indexOf(':')))).toEqual([
      'SPARK3_USER',
      'nodes.0.ssh_port',
      'SPARK2_USER',
      'MAGPIE_CONTAINER',
      'webhooks.0',
      'vllm.nodes.1',
    ]);
  });

  it('rejects YAML that does not parse and a host without a user', () => {
    expect(problemsOf(() => withFile('nodes: [ {')).join()).toMatch(/not valid YAML/);
    expect(problemsOf(() => loadConfig({ DATA_DIR: tmp(), SPARK1_HOST: 'a.local' }))).toEqual([
      'SPARK1_USER: is empty but SPARK1_HOST is set',
    ]);
  });
});

describe('environment values get the same checks as the file', () => {
  const base = { SPARK1_HOST: '127.0.0.1', SPARK1_USER: 'alice' };
  const two = { SPARK2_HOST: 'spark2.local', SPARK2_USER: 'alice' };
  it.each([
    // The four examples of issue 8, which used to load silently.
    [
      { ...two, SPARK2_QSFP_IP: '-oProxyCommand=x' },
      'SPARK2_QSFP_IP: must be a host name (like spark1.local) or an IP address (got "-oProxyCommand=x")',
    ],
    [
      { ...two, SPARK2_USER: 'Bad User $(id)' },
      `SPARK2_USER: must be a user name (letters, digits, '.', '_', '-', starting with a letter or '_') (got "Bad User $(id)")`,
    ],
    [
      { ...two, SPARK2_MAC: 'not-a-mac' },
      'SPARK2_MAC: must be a MAC address like "aa:bb:cc:dd:ee:ff" (got "not-a-mac")',
    ],
    [
      { SWAP_WEBHOOK_URLS: 'https://hooks.example.com/a,file:///etc/passwd' },
      'SWAP_WEBHOOK_URLS entry 2: must be an http:// or https:// URL, not file:',
    ],
    [
      { SPARK1_HOST: '-oProxyCommand=x' },
      'SPARK1_HOST: must be a host name (like spark1.local) or an IP address (got "-oProxyCommand=x")',
    ],
    [
      { PARAKEET_CONTAINER: 'a b' },
      `PARAKEET_CONTAINER: must start with a letter or digit and contain only letters, digits, '_', '.', '-' (got "a b")`,
    ],
    [
      { PARAKEET_HOST: '-x', PARAKEET_USER: 'alice' },
      'PARAKEET_HOST: must be a host name (like spark1.local) or an IP address (got "-x")',
    ],
    [{ EMBEDDINGS_URL: 'file:///x' }, 'EMBEDDINGS_URL: must be an http:// or https:// URL, not file:'],
    [{ OPEN_WEBUI_URL: 'ftp://x' }, 'OPEN_WEBUI_URL: must be an http:// or https:// URL, not ftp:'],
    [
      { QDRANT_URL: 'qdrant' },
      'QDRANT_URL: must be an http:// or https:// URL (this one does not parse as a URL)',
    ],
    [{ MATRIX_BRIDGE_USER: '$(id)' }, /^MATRIX_BRIDGE_USER: must be a user name/],
    [{ HOST: '-h' }, 'HOST: must be a host name (like spark1.local) or an IP address (got "-h")'],
    [
      { VLLM_PORT: '8000', MAGPIE_PORT: '8000', PARAKEET_PORT: '8001' },
      /^MAGPIE_PORT: port 8000 on spark1 is already used by vLLM$/,
    ],
  ])('refuses %o', (env, problem) => {
    const problems = problemsOf(() => loadConfig({ DATA_DIR: tmp(), ...base, ...env }));
    expect(problems).toHaveLength(1);
    if (typeof problem === 'string') expect(problems[0]).toBe(problem);
    else expect(problems[0]).toMatch(problem);
  });

  it('names the variable in the start-up message, never a secret', () => {
    let message = '';
    try {
      loadConfig({
        DATA_DIR: tmp(),
        ...base,
        SPARK2_HOST: '127.0.0.1',
        SPARK2_USER: 'alice',
        SPARK2_QSFP_IP: '-oProxyCommand=x',
        NGC_API_KEY: 'nvapi-SECRET',
        GATEWAY_API_KEYS: 'a:SECRET1,a:SECRET2,broken SECRET3',
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration \(from the environment\), 4 problems:\n/);
    expect(message).toContain('  - SPARK2_QSFP_IP: must be a host name');
    expect(message).toContain('  - SPARK2_HOST: 127.0.0.1 (SSH port 22) is already nodes.0');
    expect(message).toContain('  - GATEWAY_API_KEYS entry 3: must be name:key');
    expect(message).toContain('  - GATEWAY_API_KEYS entry 2: the name "a" is used twice');
    expect(message).not.toContain('SECRET');
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
