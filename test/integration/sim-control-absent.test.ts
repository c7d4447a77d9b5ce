// Outside demo mode the simulator's fault switches do not exist: a control plane built for a
// configured cluster (SPARK1_* set, no built-in simulator) answers /api/sim/faults with our 404
// JSON, so nothing on a real cluster can be "broken on purpose" through the API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config/load.js';
import { loadOrCreateKeyPair } from '../../src/server/platform/remote/keys.js';
import { bootControlPlane, getJson, shutControlPlane, type ControlPlane } from '../helpers/harness.js';
import { freePort } from '../helpers/server-process.js';

type Err = { error: { code: string; message: string } };

describe('sim fault routes outside demo mode', () => {
  let dataDir = '';
  let plane: ControlPlane;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sc-nosim-'));
    // A configured Spark nobody answers for (a loopback port nothing listens on): the routes under
    // test never reach a node, and the samplers stay off so nothing else tries to.
    const env = {
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      SPARK1_HOST: '127.0.0.1',
      SPARK1_USER: 'spark',
      SPARK1_SSH_PORT: String(await freePort()),
    };
    const config = loadConfig(env).config;
    expect(config.simulated).toBe(false);
    plane = await bootControlPlane({
      dataDir,
      config,
      keys: loadOrCreateKeyPair(dataDir),
      startSamplers: false,
      env,
    });
  });
  afterAll(async () => {
    if (plane) await shutControlPlane(plane);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('says it is not simulated', async () => {
    const meta = await getJson<{ simulated: boolean }>(`${plane.url}/api/meta`);
    expect(meta.body.simulated).toBe(false);
  });

  it.each([
    ['GET', '/api/sim/faults', undefined],
    ['POST', '/api/sim/faults/parakeet-wedge', { on: true }],
  ] as const)('%s %s answers 404 JSON', async (method, path, body) => {
    const res = await fetch(`${plane.url}${path}`, {
      method,
      ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const err = (await res.json()) as Err;
    expect(err.error.code).toBe('NOT_FOUND');
    expect(err.error.message).toContain(`${method} ${path}`);
  });
});
