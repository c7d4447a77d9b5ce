// The demo's weights: in step with the bundled catalog, placed where each model runs, one left
// missing on the second node, and written as a finished `hf download` would leave them.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalogFile } from '../server/modules/catalog/catalog-file.js';
import { hubDir, repoDirName } from './hf-cache.js';
import { hubManifest } from './hf-hub.js';
import { DEMO_MISSING, DEMO_MODELS, demoPlacement, seedDemoWeights } from './demo-weights.js';

describe('demo weights', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names exactly the bundled catalog repos with their modes', () => {
    const bundled = loadCatalogFile()
      .filter((e) => e.repo)
      .map((e) => ({ repo: e.repo, mode: e.mode }));
    expect([...DEMO_MODELS].sort((a, b) => a.repo.localeCompare(b.repo))).toEqual(
      bundled.sort((a, b) => String(a.repo).localeCompare(String(b.repo))),
    );
  });

  it('puts solo models on the head, cluster models everywhere but the one left missing on node 2', () => {
    const p = demoPlacement(['spark1', 'spark2', 'spark3']);
    expect(p.get('spark1')).toHaveLength(DEMO_MODELS.length);
    expect(p.get('spark2')).toEqual([]);
    expect(p.get('spark3')).toEqual(DEMO_MODELS.filter((m) => m.mode === 'cluster').map((m) => m.repo));
    expect(DEMO_MODELS.find((m) => m.repo === DEMO_MISSING.repo)?.mode).toBe('cluster');
    // One node: the head holds everything.
    expect(demoPlacement(['solo']).get('solo')).toHaveLength(DEMO_MODELS.length);
  });

  it("writes the Hub's files as complete sparse blobs under the manifest's commit", () => {
    dir = mkdtempSync(join(tmpdir(), 'sc-demo-'));
    const homes = [join(dir, 'a'), join(dir, 'b')];
    seedDemoWeights(['spark1', 'spark2'], homes);
    const repo = 'openai/gpt-oss-120b';
    const root = join(hubDir(homes[0]!), repoDirName(repo));
    const m = hubManifest(repo)!;
    expect(readFileSync(join(root, 'refs', 'main'), 'utf8')).toBe(m.commit);
    const blobs = readdirSync(join(root, 'blobs'));
    expect(blobs.sort()).toEqual(m.files.map((f) => f.sha256).sort());
    const shard = m.files.find((f) => f.path.endsWith('.safetensors'))!;
    const st = statSync(join(root, 'snapshots', m.commit, shard.path));
    expect(st.size).toBe(shard.size);
    expect(st.blocks * 512).toBeLessThan(shard.size); // sparse
    expect(existsSync(join(hubDir(homes[1]!), repoDirName(repo)))).toBe(false);
    expect(existsSync(join(hubDir(homes[1]!), repoDirName(DEMO_MISSING.repo)))).toBe(false);
  });
});
