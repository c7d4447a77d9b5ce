// POST /api/restart: the server closes gracefully (streams get server_shutdown) and boots again in
// the same process from the config file, at the same address — what `npm start`, Docker and
// StartOS run (src/server/runner.ts, main.ts's own start-up), with the built-in simulated cluster.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigSaved, ConfigView } from '../../src/common/config-api.js';
import { loadConfig } from '../../src/server/config/load.js';
import { createLogger } from '../../src/server/platform/log.js';
import { runServer, type RunningServer } from '../../src/server/runner.js';
import { getJson, waitFor } from '../helpers/harness.js';

describe('restart in place', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sc-restart-'));
  const path = join(dataDir, 'config.yaml');
  // A clean environment: never the developer's SPARK* or config variables.
  const env = { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', SIM_SPEED: '0.05' };
  const log: string[] = [];
  let server: RunningServer;
  let url: string;

  const view = async () => (await getJson<ConfigView>(`${url}/api/config`)).body;
  const post = (route: string) =>
    getJson<{ restarting?: boolean; error?: { code: string } }>(`${url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
  /** Restarts and waits until the new server answers (the old one closes its connections). */
  const restartAndWait = async (until: () => Promise<boolean>) => {
    const r = await post('/api/restart');
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ restarting: true });
    await waitFor(() => until().catch(() => false), 60_000, 200);
  };

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        log.push(chunk.toString());
        cb();
      },
    });
    server = await runServer(loadConfig(env).config, { env, log: createLogger('info', sink), webRoot: null });
    url = server.url;
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a saved change waiting for a restart takes effect after it, at the same address', async () => {
    const before = await view();
    expect(before.file.state).toBe('missing');
    const saved = await getJson<ConfigSaved>(`${url}/api/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ settings: { ...before.settings, webhooks: ['http://127.0.0.1:9/hook'] } }),
    });
    expect(saved.body).toMatchObject({ changed: ['webhooks'], applied: [], restart_required: true });
    expect((await view()).restart_pending).toBe(true);

    // A dashboard's event stream is told, then ends.
    const events = await fetch(`${url}/api/events`);
    const text = events.text();
    await restartAndWait(async () => (await view()).restart_pending === false);
    expect(await text).toMatch(/server_shutdown/);
    expect(server.url).toBe(url);
    const after = await view();
    expect(after.settings.webhooks).toEqual(['http://127.0.0.1:9/hook']);
    expect(after.file.state).toBe('ok');
    // The new server came up on the simulated cluster again and serves its nodes.
    expect((await getJson<{ simulated: boolean; nodes: unknown[] }>(`${url}/api/meta`)).body).toMatchObject({
      simulated: true,
      nodes: [{ name: 'spark1' }, { name: 'spark2' }],
    });
  });

  it('a file edited by hand is read at the restart (cluster_name in /api/meta)', async () => {
    writeFileSync(path, 'cluster_name: Edited by hand\n');
    expect((await view()).restart_pending).toBe(true);
    expect((await getJson<{ name: string }>(`${url}/api/meta`)).body.name).not.toBe('Edited by hand');
    await restartAndWait(
      async () => (await getJson<{ name: string }>(`${url}/api/meta`)).body.name === 'Edited by hand',
    );
    expect((await view()).restart_pending).toBe(false);
  });

  it('refuses to restart onto a file that would not start, and keeps serving', async () => {
    writeFileSync(path, 'vllm: { port: not-a-port }\n');
    const r = await post('/api/restart');
    expect(r.status).toBe(409);
    expect(r.body.error?.code).toBe('CONFIG_INVALID');
    expect((await getJson<{ name: string }>(`${url}/api/meta`)).body.name).toBe('Edited by hand');
    expect(log.join('')).toMatch(/restarting in place/);
  });
});
