// validateSettings is what the dashboard's settings page will call with a candidate in the config
// file's shape; load.test.ts covers the same rules reached through the file and the environment.
import { describe, expect, it } from 'vitest';
import { validateSettings } from './validate.js';
import { problemLine } from './problems.js';

const node = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  host: `${name}.local`,
  user: 'alice',
  ...extra,
});
const base = { nodes: [node('spark1'), node('spark2')] };

/** The problem lines of a candidate that must be refused. */
function problems(candidate: unknown): string[] {
  const r = validateSettings(candidate);
  if (r.ok) throw new Error('expected problems, got a valid config');
  return r.problems.map(problemLine);
}
const accepted = (candidate: unknown) => {
  const r = validateSettings(candidate);
  if (!r.ok) throw new Error(`expected a valid config, got:\n${r.problems.map(problemLine).join('\n')}`);
  return r.config;
};

describe('validateSettings', () => {
  it('resolves a valid candidate with defaults, normalizing MACs', () => {
    const config = accepted({
      nodes: [node('spark1', { mac: 'AA-BB-CC-DD-EE-FF' }), node('spark2', { qsfp_ip: '192.0.2.102' })],
    });
    expect(config.nodes.map((n) => [n.name, n.ssh_port, n.mac, n.qsfp_ip])).toEqual([
      ['spark1', 22, 'aa:bb:cc:dd:ee:ff', null],
      ['spark2', 22, null, '192.0.2.102'],
    ]);
    expect(config.vllm).toEqual({
      nodes: ['spark1'],
      port: 8888,
      container: 'vllm_node',
      launcher_dir: '~/spark-vllm-docker',
    });
    expect(config.services.parakeet).toMatchObject({ node: 'spark2', port: 8000, container: 'parakeet-asr' });
    expect(accepted({}).nodes).toEqual([]);
  });

  it.each([
    ['vllm_node', true],
    ['my.vllm-2_b', true],
    ['', true], // empty means the default
    ['-x', false],
    ['bad name', false],
    ['a;rm -rf ~', false],
    ['.hidden', false],
    ['x'.repeat(129), false],
  ])('vllm.container %j → accepted %s (docker container-name rule)', (container, ok) => {
    const r = validateSettings({ ...base, vllm: { container } });
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.problems.map((p) => p.path)).toEqual(['vllm.container']);
  });

  it('applies the container rule to every service too', () => {
    expect(
      problems({
        ...base,
        services: { parakeet: { node: 'spark2', port: 8000, kind: 'asr', container: '$(id)' } },
      }),
    ).toEqual([
      `services.parakeet.container: must start with a letter or digit and contain only letters, digits, '_', '.', '-' (got "$(id)")`,
    ]);
  });

  it.each([
    ['/home/alice/spark-vllm-docker', '/home/alice/spark-vllm-docker'],
    ['~/spark-vllm-docker', '~/spark-vllm-docker'],
    ['~/src/spark-vllm-docker/', '~/src/spark-vllm-docker/'],
  ])('accepts launcher_dir %j', (launcher_dir, resolved) => {
    expect(accepted({ ...base, vllm: { launcher_dir } }).vllm.launcher_dir).toBe(resolved);
  });

  it.each([
    ['spark-vllm-docker', /absolute path like "\/home\/alice\/spark-vllm-docker".*"~\/spark-vllm-docker"/],
    ['./spark-vllm-docker', /absolute path like "\/home\/alice\/spark-vllm-docker"/],
    ['~bob/spark-vllm-docker', /absolute path/],
    ['/opt/../etc', /must not contain a '\.\.' segment/],
    ['/opt/a b', /may only contain/],
    ['~/$(id)', /may only contain/],
  ])('refuses launcher_dir %j', (launcher_dir, message) => {
    const lines = problems({ ...base, vllm: { launcher_dir } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^vllm\.launcher_dir: /);
    expect(lines[0]).toMatch(message);
  });

  it.each([
    ['user', 'Bad User $(id)', /must be a user name/],
    ['user', '-oUser', /must be a user name/],
    ['host', '-oProxyCommand=x', /must be a host name/],
    ['host', 'a..b', /must be a host name/],
    ['qsfp_ip', '-oProxyCommand=x', /must be a host name .* or an IP address/],
    ['qsfp_ip', '192.0.2.1;id', /must be a host name/],
    ['qsfp_ip', 'fe80::1::2', /not a valid IPv6 address/],
    ['mac', 'not-a-mac', /must be a MAC address/],
    ['mac', 'aa:bb:cc:dd:ee', /must be a MAC address/],
    ['ssh_port', 0, /between 1 and 65535/],
    ['ssh_port', 65536, /between 1 and 65535/],
    ['ssh_port', 22.5, /between 1 and 65535/],
    ['ssh_port', '22', /between 1 and 65535/],
  ])('refuses nodes[].%s = %j', (field, value, message) => {
    const lines = problems({ nodes: [node('spark1', { [field]: value })] });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^nodes\\.0\\.${field}: `));
    expect(lines[0]).toMatch(message);
  });

  it.each([
    ['user', 'Alice_2.b-c'],
    ['qsfp_ip', '192.0.2.101'],
    ['qsfp_ip', 'fd00::1'],
    ['qsfp_ip', 'spark1-qsfp.local'],
    ['mac', '0200.5e10.0001'],
    ['mac', '02005e100001'],
    ['ssh_port', 65535],
  ])('accepts nodes[].%s = %j', (field, value) => {
    expect(accepted({ nodes: [node('spark1', { [field]: value })] }).nodes).toHaveLength(1);
  });

  it('refuses ports outside 1–65535 for vLLM and services', () => {
    expect(
      problems({
        ...base,
        vllm: { port: 70000 },
        services: { x: { node: 'spark1', port: -1, kind: 'other' } },
      }),
    ).toEqual([
      'vllm.port: must be a whole number between 1 and 65535 (got 70000)',
      'services.x.port: must be a whole number between 1 and 65535 (got -1)',
    ]);
  });

  it('accepts only http(s) URLs and never quotes a webhook back', () => {
    const lines = problems({
      webhooks: [
        'https://hooks.example.com/T0/secret-path',
        'file:///etc/passwd',
        'gopher://x/secret-path',
        'nope',
      ],
      embeddings_url: 'ftp://192.0.2.21/',
      qdrant_url: 'javascript:alert(1)',
      open_webui_url: 'http://',
    });
    expect(lines).toEqual([
      'embeddings_url: must be an http:// or https:// URL, not ftp:',
      'qdrant_url: must be an http:// or https:// URL, not javascript:',
      'open_webui_url: must be an http:// or https:// URL (this one does not parse as a URL)',
      'webhooks.1: must be an http:// or https:// URL, not file:',
      'webhooks.2: must be an http:// or https:// URL, not gopher:',
      'webhooks.3: must be an http:// or https:// URL (this one does not parse as a URL)',
    ]);
    expect(lines.join('\n')).not.toContain('secret-path');
    expect(
      accepted({ webhooks: ['http://127.0.0.1:9/hook'], open_webui_url: 'https://[::1]:3000' }).webhooks,
    ).toEqual(['http://127.0.0.1:9/hook']);
  });

  it('checks matrix_bridge_user as a user name (blank hides the tile)', () => {
    expect(problems({ matrix_bridge_user: 'x y' }).join()).toMatch(
      /^matrix_bridge_user: must be a user name/,
    );
    expect(accepted({ matrix_bridge_user: '' }).matrix_bridge_user).toBeNull();
  });

  it('refuses duplicate nodes, unknown references and two listeners on one port', () => {
    expect(
      problems({
        nodes: [
          node('spark1'),
          node('spark1', { host: 'other.local' }),
          node('spark3', { host: 'SPARK1.local' }),
        ],
        vllm: { nodes: ['spark1', 'ghost', 'spark1'], port: 8000 },
        services: {
          parakeet: { node: 'spark1', port: 8000, kind: 'asr' },
          magpie: { node: 'spark3', port: 9000, kind: 'tts' },
          bot: { node: 'spark3', port: 9000, kind: 'bot' },
          lost: { node: 'nowhere', port: 1, kind: 'other' },
        },
      }),
    ).toEqual([
      'nodes.1.name: "spark1" is already the name of nodes.0',
      'nodes.2.host: spark1.local (SSH port 22) is already nodes.0; each node must be a different machine',
      'vllm.nodes.1: "ghost" is not a configured node (configured: spark1, spark3)',
      'vllm.nodes.2: "spark1" is listed twice',
      'services.parakeet.port: port 8000 on spark1 is already used by vLLM',
      'services.bot.port: port 9000 on spark3 is already used by services.magpie',
      'services.lost.node: "nowhere" is not a configured node (configured: spark1, spark3)',
    ]);
    // The same host on another SSH port is another machine (the simulator runs this way).
    expect(
      accepted({
        nodes: [
          node('a', { host: '127.0.0.1', ssh_port: 2201 }),
          node('b', { host: '127.0.0.1', ssh_port: 2202 }),
        ],
      }).nodes,
    ).toHaveLength(2);
  });

  it('lists schema, field-rule and topology problems of one candidate together', () => {
    const lines = problems({
      colour: 'blue',
      nodes: [
        node('spark1', { user: 'Bad User $(id)' }),
        node('spark1'),
        { name: 'spark3', host: 'x.local' },
      ],
      vllm: { nodes: ['nowhere'], container: 'bad name', launcher_dir: 'spark-vllm-docker' },
      services: { parakeet: { node: 'ghost', port: 8000, kind: 'asr' } },
      hardware: { interval_s: 'often' },
      webhooks: ['file:///x'],
    });
    const paths = lines.map((l) => l.slice(0, l.indexOf(':')));
    expect(paths.sort()).toEqual(
      [
        'colour', // unknown key (schema)
        'hardware.interval_s', // wrong type (schema)
        'nodes.0.user', // field rule
        'nodes.2', // missing user (schema)
        'vllm.container',
        'vllm.launcher_dir',
        'webhooks.0',
        'nodes.1.name', // duplicate (topology)
        'nodes.1.host', // same machine as nodes.0
        'vllm.nodes.0', // unknown node
        'services.parakeet.node', // unknown node
      ].sort(),
    );
    expect(lines).toContain('colour: is not a known setting');
  });

  it('never quotes a secret, whatever is wrong with it', () => {
    const lines = problems({
      ngc_api_key: ['nvapi-SECRET1'],
      hf_token: { t: 'hf_SECRET2' },
      api_keys: [
        { name: 'a', key: 'has SECRET3 space' },
        { name: 'b', key: 'SECRET4-shared' },
        { name: 'b', key: 'SECRET4-shared' },
      ],
      auth: {
        admin_password_hash: 'scrypt$SECRET5',
        admin_tokens: [
          { name: 't', token: 'SECRET6' },
          { name: 'u', token: 'SECRET4-shared' },
        ],
      },
    });
    expect(lines.length).toBeGreaterThanOrEqual(7);
    expect(lines.join('\n')).not.toMatch(/SECRET/);
  });
});
