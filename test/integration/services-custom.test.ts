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
    const run = await c.transport.exec('spark2', sh`docker run -d --name riva-nim parakeet-asr`);
    expect(run.code, run.stderr).toBe(0);
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
  const exists = async (name: string) =>
    (await c.transport.exec('spark2', sh`docker inspect -f '{{.Name}}' ${name}`)).code === 0;

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
    const keep = await del('/api/services/old-nim');
    expect(keep.status).toBe(200);
    expect(keep.body).toEqual({ removed: 'old-nim', container_removed: false });
    const gone = await del('/api/services/riva?remove_container=1');
    expect(gone.status).toBe(200);
    expect(gone.body).toEqual({ removed: 'riva', container_removed: true });
    expect(await exists('riva-nim')).toBe(false);
    const names = (
      await getJson<{ services: { name: string }[] }>(`${c.url}/api/services`)
    ).body.services.map((s) => s.name);
    expect(names).not.toContain('riva');
    expect(names).not.toContain('old-nim');
    expect((await del('/api/services/riva')).status).toBe(404);
  });
});
