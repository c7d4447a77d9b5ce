// Custom services (what the NIM installer registers) appear as cards from SQLite and are removed
// with DELETE /api/services/{name} — only custom ones; `remove_container=1` also runs docker rm -f.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sh } from '../../src/server/platform/remote/sh.js';
import { ServiceRegistry } from '../../src/server/modules/services/index.js';
import { CustomServiceStore } from '../../src/server/modules/services/store.js';
import { getJson, type TestCluster } from '../helpers/harness.js';
import { startServicesCluster, waitService, type Err } from './services-helpers.js';

describe('custom services', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startServicesCluster();
    // As the NIM installer does after `docker run -d`: a container, then its registration.
    for (const name of ['riva-nim', 'kept-nim']) {
      const run = await c.transport.exec('spark2', sh`docker run -d --name ${name} parakeet-asr`);
      expect(run.code, run.stderr).toBe(0);
    }
    const registry = new ServiceRegistry(c.config, new CustomServiceStore(c.db));
    registry.addCustom({
      name: 'riva',
      kind: 'nim',
      node: 'spark2',
      container: 'riva-nim',
      port: 50051,
      api: 'nim',
    });
    registry.addCustom({
      name: 'kept',
      kind: 'nim',
      node: 'spark2',
      container: 'kept-nim',
      port: 50053,
      api: 'nim',
    });
    registry.addCustom({
      name: 'old-nim',
      kind: 'nim',
      node: 'spark2',
      container: 'gone-nim',
      port: 50052,
      api: 'nim',
    });
  });
  afterAll(async () => {
    await c?.close();
  });

  const del = (path: string) =>
    getJson<Err & { removed?: string; container_removed?: boolean }>(`${c.url}${path}`, { method: 'DELETE' });
  /** Every container on the node, running or not, with its state: what `docker ps -a` lists. */
  const psAll = async () => {
    const ps = await c.transport.exec('spark2', sh`docker ps -a --format '{{.Names}} {{.State}}'`);
    expect(ps.code, ps.stderr).toBe(0);
    return ps.stdout.split('\n').filter(Boolean);
  };

  it('shows them as removable cards with their docker state', async () => {
    const riva = await waitService(c, 'riva', (s) => s.docker_state === 'running');
    expect(riva).toMatchObject({ custom: true, kind: 'nim', api: 'nim', container: 'riva-nim' });
    const old = await waitService(c, 'old-nim', (s) => s.docker_state === 'missing');
    expect(old.health).toBe('unhealthy');
    expect((await getJson<Err>(`${c.url}/api/services/old-nim/start`, { method: 'POST' })).status).toBe(409);
  });

  it('configured services are not removable; unknown ones are 404', async () => {
    expect((await del('/api/services/magpie')).status).toBe(400);
    expect((await del('/api/services/nope')).status).toBe(404);
    expect((await del('/api/services/riva?remove_container=maybe')).status).toBe(400);
  });

  it('DELETE keeps the container unless asked; remove_container=1 removes it too', async () => {
    await waitService(c, 'kept', (s) => s.docker_state === 'running');
    expect(await psAll()).toEqual(expect.arrayContaining(['riva-nim running', 'kept-nim running']));
    const keep = await del('/api/services/kept');
    expect(keep.status).toBe(200);
    expect(keep.body).toEqual({ removed: 'kept', container_removed: false });
    // Only the card went: the container keeps running, untouched.
    expect(await psAll()).toContain('kept-nim running');
    // A service whose container is already gone is removed just the same.
    const stale = await del('/api/services/old-nim');
    expect(stale.status).toBe(200);
    expect(stale.body).toEqual({ removed: 'old-nim', container_removed: false });
    const gone = await del('/api/services/riva?remove_container=1');
    expect(gone.status).toBe(200);
    expect(gone.body).toEqual({ removed: 'riva', container_removed: true });
    const after = await psAll();
    expect(after.some((l) => l.startsWith('riva-nim '))).toBe(false);
    expect(after).toContain('kept-nim running');
    const names = (
      await getJson<{ services: { name: string }[] }>(`${c.url}/api/services`)
    ).body.services.map((s) => s.name);
    expect(names).not.toContain('riva');
    expect(names).not.toContain('kept');
    expect(names).not.toContain('old-nim');
    expect((await del('/api/services/riva')).status).toBe(404);
  });
});
