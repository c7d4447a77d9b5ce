import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Db } from '../../platform/store/db.js';
import { fromConfig, matrixBridgeDef, ServiceRegistry } from './registry.js';
import { CustomServiceStore } from './store.js';

const node = (name: string) => ({
  name,
  host: `${name}.local`,
  user: 'alice',
  ssh_port: 22,
  qsfp_ip: null,
  mac: null,
});
const config = (o: { nodes?: string[]; user?: string | null; bridgeNode?: string | null } = {}) => ({
  nodes: (o.nodes ?? ['spark1', 'spark2']).map(node),
  vllm: {
    nodes: [(o.nodes ?? ['spark1'])[0] ?? 'spark1'],
    port: 8888,
    container: 'vllm_node',
    launcher_dir: '~/x',
  },
  services: {
    parakeet: {
      name: 'parakeet',
      node: 'spark2',
      port: 8000,
      container: 'parakeet-asr',
      kind: 'asr' as const,
    },
    magpie: { name: 'magpie', node: 'spark2', port: 9000, container: 'magpie-tts', kind: 'tts' as const },
    embed: { name: 'embed', node: 'spark1', port: 8001, container: 'embed', kind: 'embeddings' as const },
  },
  matrix_bridge: { node: o.bridgeNode ?? null, container: 'matrix-bridge', branch: 'main' },
  matrix_bridge_user: o.user === undefined ? 'bot' : o.user,
});

describe('services from the config', () => {
  it('maps kinds and speech APIs with their health paths', () => {
    expect(fromConfig(config().services.parakeet)).toMatchObject({
      kind: 'asr',
      api: 'parakeet-app',
      health_path: '/health',
    });
    expect(fromConfig(config().services.magpie)).toMatchObject({
      kind: 'tts',
      api: 'nim',
      health_path: '/v1/health/ready',
    });
    expect(fromConfig(config().services.embed)).toMatchObject({ kind: 'custom', api: null, custom: false });
  });

  it('shows the bot only with MATRIX_BRIDGE_USER, on the first non-head node or the only one', () => {
    expect(matrixBridgeDef(config({ user: null }))).toBeNull();
    expect(matrixBridgeDef(config())).toMatchObject({
      node: 'spark2',
      kind: 'bot',
      health_path: null,
      port: null,
    });
    expect(matrixBridgeDef(config({ nodes: ['solo'] }))?.node).toBe('solo');
    expect(matrixBridgeDef(config({ bridgeNode: 'spark1' }))?.node).toBe('spark1');
  });
});

describe('custom services', () => {
  let dir = '';
  let db: Db | null = null;
  afterEach(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const registry = () => {
    dir = mkdtempSync(join(tmpdir(), 'sc-reg-'));
    db = openStore(dir);
    return new ServiceRegistry(config(), new CustomServiceStore(db));
  };

  it('persist, list after the fixed ones, and are removable; configured ones are not', () => {
    const r = registry();
    let changes = 0;
    r.onChange(() => changes++);
    const def = r.addCustom({
      name: 'riva',
      kind: 'nim',
      node: 'spark2',
      container: 'riva-nim',
      port: 50051,
      api: 'nim',
    });
    expect(def).toMatchObject({ custom: true, health_path: '/v1/health/ready' });
    expect(r.list().map((s) => s.name)).toEqual(['parakeet', 'magpie', 'embed', 'matrix-bridge', 'riva']);
    expect(new ServiceRegistry(config(), new CustomServiceStore(db!)).get('riva')).toEqual(def);
    expect(() => r.removeCustom('magpie')).toThrow(/configuration/);
    expect(r.removeCustom('riva').name).toBe('riva');
    expect(r.get('riva')).toBeNull();
    expect(changes).toBe(2);
  });

  it.each([
    [{ name: 'Bad Name' }, /name/],
    [{ container: 'x;rm -rf ~' }, /container/],
    [{ node: 'spark9' }, /not a configured node/],
    [{ port: 70000 }, /port/],
    [{ health_path: '/h?x=$(id)' }, /health_path/],
    [{ name: 'magpie' }, /configured service/],
    [{ container: 'parakeet-asr' }, /already the service "parakeet"/],
  ])('refuses %j', (bad, msg) => {
    const r = registry();
    expect(() =>
      r.addCustom({ name: 'riva', kind: 'nim', node: 'spark2', container: 'riva-nim', port: 9100, ...bad }),
    ).toThrow(msg);
    expect(r.get('riva')).toBeNull();
  });
});
