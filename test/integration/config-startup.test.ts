// Start-up with a bad configuration: the real server process (src/server/main.ts) exits non-zero
// and prints every problem, file and environment alike, naming each key or variable, without
// quoting a secret. The child gets a clean environment (never the developer's SPARK* variables).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Runs the server with only PATH, TMPDIR, its own DATA_DIR and `env`; a server that starts is killed. */
function start(env: Record<string, string>, configYaml?: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sc-config-start-'));
  if (configYaml !== undefined) writeFileSync(join(dataDir, 'config.yaml'), configYaml);
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
        DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        PORT: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    // A configuration that wrongly passes would start a server: end it so the test fails, not hangs.
    const guard = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, output });
    });
  });
}

describe('start-up with a bad configuration', () => {
  it('exits 2 listing every problem of the file and the environment, secrets unquoted', async () => {
    const { code, output } = await start(
      {
        SPARK2_HOST: 'spark2.local',
        SPARK2_USER: 'Bad User $(id)',
        SPARK2_QSFP_IP: '-oProxyCommand=x',
        SPARK2_MAC: 'not-a-mac',
        SWAP_WEBHOOK_URLS: 'file:///etc/passwd',
        HF_TOKEN: 'hf_TOPSECRET',
        GATEWAY_API_KEYS: 'app:TOPSECRET1,app:TOPSECRET2',
        QDRANT_API_KEY: 'qd-TOPSECRET3-schlüssel',
      },
      [
        'nodes:',
        '  - { name: spark1, host: 127.0.0.1, user: alice }',
        'vllm: { nodes: [spark1, ghost], container: "vllm node", launcher_dir: spark-vllm-docker }',
        'services:',
        '  bot: { node: nowhere, port: 70000, kind: bot }',
        'colour: blue',
      ].join('\n'),
    );
    expect(code).toBe(2);
    expect(output).toMatch(/Invalid configuration \(from .*config\.yaml and the environment\), 12 problems:/);
    for (const line of [
      '  - SPARK2_USER: must be a user name',
      '  - SPARK2_QSFP_IP: must be a host name (like spark1.local) or an IP address (got "-oProxyCommand=x")',
      '  - SPARK2_MAC: must be a MAC address',
      '  - SWAP_WEBHOOK_URLS entry 1: must be an http:// or https:// URL, not file:',
      '  - colour: is not a known setting',
      '  - vllm.container: must start with a letter or digit',
      '  - vllm.launcher_dir: must be an absolute path like "/home/alice/spark-vllm-docker"',
      '  - services.bot.port: must be a whole number between 1 and 65535 (got 70000)',
      '  - vllm.nodes.1: "ghost" is not a configured node (configured: spark1, spark2)',
      '  - services.bot.node: "nowhere" is not a configured node',
      '  - GATEWAY_API_KEYS entry 2: the name "app" is used twice',
      '  - QDRANT_API_KEY: must be printable ASCII (letters, digits, punctuation)',
    ])
      expect(output).toContain(line);
    expect(output).toContain('README "Configuration reference"');
    expect(output).not.toContain('TOPSECRET');
    expect(output).not.toMatch(/listening on/);
  });

  it('refuses a relative launcher_dir from the file instead of failing every swap later', async () => {
    const { code, output } = await start(
      { SPARK1_HOST: '127.0.0.1', SPARK1_USER: 'alice' },
      'vllm: { launcher_dir: spark-vllm-docker }\n',
    );
    expect(code).toBe(2);
    expect(output).toMatch(/1 problem:\n {2}- vllm\.launcher_dir: must be an absolute path/);
  });
});
