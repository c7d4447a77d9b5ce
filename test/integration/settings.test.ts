// The settings page's API over real HTTP on the simulated cluster, with its own config file:
// masked answers, every problem listed with nothing written, the atomic write with a backup,
// env-set keys read-only, masks keeping secrets, racing saves, a hand-broken file, and no secret
// in any answer or log line.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  SECRET_MASK,
  type ConfigSaved,
  type ConfigView,
  type SettingsDocument,
  type SettingsProblem,
} from '../../src/common/config-api.js';
import { createLogger } from '../../src/server/platform/log.js';
import { tmpDataDir } from '../helpers/config.js';
import { getJson, startTestCluster, type TestCluster } from '../helpers/harness.js';

const PLANTED = {
  apiKey: 'sk-planted-api-key-5f1c',
  ngc: 'nvapi-planted-ngc-9a2b',
  metrics: 'planted-metrics-token-77e0',
  admin: 'planted-admin-token-0c4d8e',
  hf: 'hf_planted_new_token_31aa',
  qdrant: 'qd-planted-qdrant-key-4e7f',
};
const FILE_TEXT = `cluster_name: Lab
webhooks: [http://127.0.0.1:9/hook]
api_keys:
  - { name: webui, key: ${PLANTED.apiKey} }
ngc_api_key: ${PLANTED.ngc}
qdrant_api_key: ${PLANTED.qdrant}
metrics: { token: ${PLANTED.metrics} }
hardware: { interval_s: 5 }
`;

type Problems = { error: { code: string; message: string; problems: SettingsProblem[] } };

describe('settings API', () => {
  let c: TestCluster;
  const root = tmpDataDir('sc-settings-');
  const confDir = join(root, 'conf');
  const path = join(confDir, 'config.yaml');
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(chunk.toString());
      cb();
    },
  });
  const auth = { authorization: `Bearer ${PLANTED.admin}` };
  const api = <T>(method: string, route: string, body?: unknown, headers: Record<string, string> = {}) =>
    getJson<T>(`${c.url}${route}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const view = async () => (await api<ConfigView>('GET', '/api/config')).body;
  /** GET /api/config's ETag header. */
  const etag = async () => (await fetch(`${c.url}/api/config`, { headers: auth })).headers.get('etag');
  const put = <T = ConfigSaved>(settings: unknown) => api<T>('PUT', '/api/config', { settings });

  beforeAll(async () => {
    mkdirSync(confDir);
    writeFileSync(path, FILE_TEXT);
    c = await startTestCluster({
      env: { CONFIG_FILE: path, VLLM_PORT: '8890', ADMIN_TOKENS: `cli:${PLANTED.admin}` },
      logger: createLogger('debug', sink),
    });
  });
  afterAll(async () => {
    await c?.close();
    execFileSync('rm', ['-rf', root]);
  });

  it('is an admin route: no credential, no settings and no save', async () => {
    expect((await getJson(`${c.url}/api/config`)).status).toBe(401);
    const r = await fetch(`${c.url}/api/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ settings: { cluster_name: 'x' } }),
    });
    expect(r.status).toBe(401);
    // A foreign page cannot save or restart even with a credential (the same-origin guard).
    for (const [method, route] of [
      ['PUT', '/api/config'],
      ['POST', '/api/restart'],
    ] as const) {
      const foreign = await api<{ error: { code: string } }>(
        method,
        route,
        { settings: { cluster_name: 'x' } },
        { origin: 'http://evil.example' },
      );
      expect(foreign.status, route).toBe(403);
    }
    expect(readFileSync(path, 'utf8')).toBe(FILE_TEXT);
  });

  it('GET: the settings in effect with defaults, secrets masked, env keys named, the file ok', async () => {
    const { status, body } = await api<ConfigView>('GET', '/api/config');
    expect(status).toBe(200);
    expect(body.settings).toMatchObject({
      cluster_name: 'Lab',
      nodes: [],
      vllm: { port: 8890, container: 'vllm_node', launcher_dir: '~/spark-vllm-docker' },
      api_keys: [{ name: 'webui', key: SECRET_MASK, always_redact: false }],
      secrets: { ngc_api_key: SECRET_MASK, hf_token: null, qdrant_api_key: SECRET_MASK },
      metrics: { token: SECRET_MASK },
      auth: { admin_tokens: [{ name: 'cli', token: SECRET_MASK }] },
      hardware: { interval_s: 5 },
    });
    expect(body.env).toMatchObject({ 'vllm.port': 'VLLM_PORT', 'auth.admin_tokens': 'ADMIN_TOKENS' });
    expect(body.file).toEqual({ path, state: 'ok', problems: [] });
    expect(body.restart_pending).toBe(false);
    expect(body.simulated).toBe(true);
    for (const secret of Object.values(PLANTED)) expect(JSON.stringify(body)).not.toContain(secret);
  });

  it('PUT with problems: every one listed at its field, nothing written', async () => {
    const settings = (await view()).settings;
    const r = await put<Problems>({
      ...settings,
      nodes: [
        { name: 'Bad Name', host: '', user: '1x' },
        { name: 'spark2', host: 'spark2.local', user: 'bob', ssh_port: 70000 },
      ],
      open_webui_url: 'ftp://192.0.2.1',
      api_keys: [...settings.api_keys!, { name: 'fresh', key: SECRET_MASK }],
      hardware: { interval_s: 'often' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('CONFIG_INVALID');
    const paths = r.body.error.problems.map((p) => p.path);
    for (const p of [
      'nodes.0.name',
      'nodes.0.host',
      'nodes.0.user',
      'nodes.1.ssh_port',
      'open_webui_url',
      'api_keys.1.key',
      'hardware.interval_s',
    ])
      expect(paths, JSON.stringify(r.body.error.problems)).toContain(p);
    expect(readFileSync(path, 'utf8')).toBe(FILE_TEXT);
    expect(existsSync(`${path}.bak`)).toBe(false);
  });

  it('PUT changing an environment-set key is refused, naming the variable', async () => {
    const settings = (await view()).settings;
    const r = await put<Problems>({ ...settings, vllm: { ...settings.vllm, port: 9999 } });
    expect(r.status).toBe(400);
    expect(r.body.error.problems).toContainEqual({
      path: 'vllm.port',
      message: expect.stringContaining('VLLM_PORT'),
    });
    expect(readFileSync(path, 'utf8')).toBe(FILE_TEXT);
  });

  it('bad bodies get a 4xx JSON answer and write nothing', async () => {
    const cases: [unknown, number][] = [
      [[], 400],
      [{}, 400],
      [{ settings: 5 }, 400],
      [{ settings: [] }, 400],
      [{ settings: {}, extra: 1 }, 400],
      [{ settings: { nodes: 'two', vllm: { port: 'abc' }, cluster_name: 7 } }, 400],
      ['{"settings":', 400],
    ];
    for (const [body, status] of cases) {
      const r = await api<{ error: { code: string } }>('PUT', '/api/config', body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error.code, JSON.stringify(body)).toBeTruthy();
    }
    const form = await api('PUT', '/api/config', 'settings=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    const huge = await api('PUT', '/api/config', {
      settings: { redaction: { names: ['x'.repeat(6_000_000)] } },
    });
    expect(huge.status).toBe(413);
    expect(readFileSync(path, 'utf8')).toBe(FILE_TEXT);
  });

  it('PUT valid: atomic write with backup and mode 0600, masks keep secrets, live keys applied', async () => {
    const settings = (await view()).settings;
    const next: SettingsDocument = {
      ...settings,
      cluster_name: 'Renamed',
      open_webui_url: 'http://127.0.0.1:3000',
      hardware: { interval_s: 9 },
      secrets: { ...settings.secrets, hf_token: PLANTED.hf },
    };
    const r = await put(next);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({
      changed: ['cluster_name', 'hardware.interval_s', 'open_webui_url', 'secrets.hf_token'],
      applied: ['cluster_name', 'open_webui_url'],
      restart_required: true,
      backup: `${path}.bak`,
      revision: (await view()).revision,
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe(FILE_TEXT);
    const written = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(written).toMatchObject({
      cluster_name: 'Renamed',
      api_keys: [{ name: 'webui', key: PLANTED.apiKey }],
      ngc_api_key: PLANTED.ngc,
      hf_token: PLANTED.hf,
      qdrant_api_key: PLANTED.qdrant,
      metrics: { token: PLANTED.metrics },
      hardware: { interval_s: 9 },
    });
    // Environment values stay in the environment: neither the port nor the admin tokens are copied.
    expect((written.vllm as Record<string, unknown> | undefined)?.port).toBeUndefined();
    expect(written.auth).toBeUndefined();
    expect(written).not.toHaveProperty('secrets');
    const meta = (await api<{ name: string; open_webui_url: string }>('GET', '/api/meta')).body;
    expect(meta).toMatchObject({ name: 'Renamed', open_webui_url: 'http://127.0.0.1:3000' });
    const after = await view();
    expect(after.restart_pending).toBe(true);
    expect(after.settings.secrets).toEqual({
      ngc_api_key: SECRET_MASK,
      hf_token: SECRET_MASK,
      qdrant_api_key: SECRET_MASK,
    });
  });

  it('null clears a secret', async () => {
    const settings = (await view()).settings;
    const r = await put({ ...settings, secrets: { ...settings.secrets, hf_token: null } });
    expect(r.status).toBe(200);
    expect(r.body.changed).toEqual(['secrets.hf_token']);
    expect(parse(readFileSync(path, 'utf8'))).not.toHaveProperty('hf_token');
    expect((await view()).settings.secrets?.hf_token).toBeNull();
  });

  it('racing PUTs are serialized: each save backs up the one before it', async () => {
    const settings = (await view()).settings;
    const [a, b] = await Promise.all(
      ['Race A', 'Race B'].map((name) => put({ ...settings, cluster_name: name })),
    );
    expect([a!.status, b!.status]).toEqual([200, 200]);
    const final = (parse(readFileSync(path, 'utf8')) as { cluster_name: string }).cluster_name;
    const backup = (parse(readFileSync(`${path}.bak`, 'utf8')) as { cluster_name: string }).cluster_name;
    expect([final, backup].sort()).toEqual(['Race A', 'Race B']);
    expect((await view()).settings.cluster_name).toBe(final);
  });

  it('a refused PUT racing a valid one: one 400, one 200, the valid one on disk', async () => {
    const settings = (await view()).settings;
    const [bad, good] = await Promise.all([
      put<Problems>({ ...settings, cluster_name: 'Bad', nodes: [{ name: 'x', host: '', user: 'u' }] }),
      put({ ...settings, cluster_name: 'Good' }),
    ]);
    expect([bad!.status, good!.status]).toEqual([400, 200]);
    expect((parse(readFileSync(path, 'utf8')) as { cluster_name: string }).cluster_name).toBe('Good');
  });

  it('a save based on a stale revision is refused with 409 and writes nothing: another tab, a hand edit', async () => {
    type Changed = { error: { code: string; message: string } };
    const got = await api<ConfigView>('GET', '/api/config');
    const base = got.body.revision;
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    expect(await etag()).toBe(`"${base}"`);
    // Two tabs loaded the same settings; both save. The first wins, the second is told.
    const [first, second] = await Promise.all(
      ['Tab one', 'Tab two'].map((name) =>
        api<ConfigSaved & Changed>('PUT', '/api/config', {
          settings: { ...got.body.settings, cluster_name: name },
          revision: base,
        }),
      ),
    );
    expect([first!.status, second!.status]).toEqual([200, 409]);
    expect(second!.body.error.code).toBe('CONFIG_CHANGED');
    expect(second!.body.error.message).toMatch(/changed since this page loaded them.*Reload/);
    const onDisk = () => (parse(readFileSync(path, 'utf8')) as { cluster_name: string }).cluster_name;
    expect(onDisk()).toBe('Tab one');
    expect(first!.body.revision).toBe((await view()).revision);
    expect(first!.body.revision).not.toBe(base);

    // A hand edit after loading: If-Match (the GET's ETag) carries the base as well.
    const loaded = await api<ConfigView>('GET', '/api/config');
    const loadedTag = await etag();
    expect(loadedTag).toBe(`"${loaded.body.revision}"`);
    writeFileSync(path, `${readFileSync(path, 'utf8')}# tuned by hand\n`);
    const stale = await api<Changed>(
      'PUT',
      '/api/config',
      { settings: { ...loaded.body.settings, cluster_name: 'Over the edit' } },
      { 'if-match': loadedTag! },
    );
    expect(stale.status).toBe(409);
    expect(readFileSync(path, 'utf8')).toContain('# tuned by hand');
    // Reloaded, the same change goes through; without a revision a save is unconditional, as before.
    const fresh = await view();
    const saved = await api<ConfigSaved>('PUT', '/api/config', {
      settings: { ...fresh.settings, cluster_name: 'After reload' },
      revision: fresh.revision,
    });
    expect(saved.status).toBe(200);
    expect((await put({ ...fresh.settings, cluster_name: 'Unconditional' })).status).toBe(200);
    expect(onDisk()).toBe('Unconditional');
    const tooLong = await api<Changed>('PUT', '/api/config', {
      settings: fresh.settings,
      revision: 'x'.repeat(65),
    });
    expect(tooLong.status).toBe(400);
  });

  it('a write that fails (read-only directory) is a 409 and leaves the old file intact', async () => {
    const before = readFileSync(path, 'utf8');
    const asRoot = process.getuid?.() === 0;
    chmodSync(confDir, 0o500);
    // Root ignores modes: the directory is made immutable instead.
    if (asRoot) execFileSync('chattr', ['+i', confDir]);
    try {
      const r = await put<{ error: { code: string; message: string } }>({
        ...(await view()).settings,
        cluster_name: 'Never saved',
      });
      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'CONFIG_NOT_WRITABLE' });
      expect(r.body.error.message).toContain(confDir);
    } finally {
      if (asRoot) execFileSync('chattr', ['-i', confDir]);
      chmodSync(confDir, 0o700);
    }
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect((await view()).settings.cluster_name).not.toBe('Never saved');
  });

  it('a file edited by hand into invalid YAML or settings: state invalid, the running settings kept', async () => {
    const running = (await view()).settings.cluster_name;
    writeFileSync(path, 'cluster_name: [unclosed\n');
    let v = await view();
    expect(v.file.state).toBe('invalid');
    expect(v.file.problems[0]?.message).toMatch(/YAML/);
    expect(v.settings.cluster_name).toBe(running);
    expect((await api<{ name: string }>('GET', '/api/meta')).body.name).toBe(running);

    writeFileSync(path, 'nodes:\n  - { name: spark1, user: alice }\n');
    v = await view();
    expect(v.file.state).toBe('invalid');
    expect(v.file.problems).toContainEqual({ path: 'nodes.0.host', message: 'is required' });
    // A restart would not start on it: refused before anything closes.
    const restart = await api<Problems>('POST', '/api/restart', {});
    expect(restart.status).toBe(409);
    expect(restart.body.error.problems.map((p) => p.path)).toContain('nodes.0.host');
  });

  it('never logs or answers a secret', async () => {
    expect(logLines.join('')).toMatch(/settings saved/);
    for (const secret of Object.values(PLANTED)) expect(logLines.join(''), secret).not.toContain(secret);
  });
});
