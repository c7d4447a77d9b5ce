// Platform behaviour through real HTTP: events, errors, OpenAPI, status, meta, SSH identity.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointsResponse, EventEnvelope, MetaResponse, StatusResponse } from '../../src/common/api.js';
import {
  getJson,
  startTestCluster,
  waitFor,
  type TestCluster,
  WATCHING_HARDWARE,
} from '../helpers/harness.js';
import { runShellSandboxed } from '../helpers/unit.js';

/** Reads SSE `data:` envelopes until `enough` says stop. */
async function readEvents(url: string, enough: (seen: EventEnvelope[], raw: string) => boolean) {
  const ctrl = new AbortController();
  const res = await fetch(url, { signal: ctrl.signal });
  const seen: EventEnvelope[] = [];
  let raw = '';
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const timer = setTimeout(() => ctrl.abort(), 15_000);
  try {
    while (!enough(seen, raw)) {
      const { value, done } = await reader.read();
      if (done) break;
      const text = decoder.decode(value, { stream: true });
      raw += text;
      for (const line of text.split('\n'))
        if (line.startsWith('data: ')) seen.push(JSON.parse(line.slice(6)));
    }
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
  return { res, seen, raw };
}

describe('platform', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startTestCluster({ timings: WATCHING_HARDWARE });
  });
  afterAll(async () => c?.close());

  it('streams the current state first, then live hardware events, with heartbeats', async () => {
    await waitFor(
      async () => (await getJson<Record<string, { ok: boolean }>>(`${c.url}/api/hardware`)).body.spark1?.ok,
    );
    const { res, seen, raw } = await readEvents(
      `${c.url}/api/events`,
      (s, r) => s.filter((e) => e.type === 'hardware').length >= 2 && r.includes(':ping'),
    );
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    expect(
      seen
        .slice(0, 2)
        .map((e) => e.type)
        .sort(),
    ).toEqual(['hardware', 'status']);
    const hw = seen.find((e) => e.type === 'hardware');
    expect(hw && hw.type === 'hardware' && hw.data.spark1?.ok).toBe(true);
    expect(raw).toContain(':ping');
  });

  it('reports the loaded model and the endpoints other apps use', async () => {
    const status = await waitFor(async () => {
      const s = (await getJson<StatusResponse>(`${c.url}/api/status`)).body;
      return s.vllm.model ? s : null;
    });
    expect(status.vllm.ok).toBe(true);
    expect(status.vllm.base_url).toBe(`http://127.0.0.1:${c.sim.vllm.port}/v1`);
    // The simulated cluster runs Parakeet on its speech node, health-checked like a real one.
    await waitFor(
      async () => (await getJson<StatusResponse>(`${c.url}/api/status`)).body.parakeet.ok,
      20_000,
    );
    const ep = (await getJson<EndpointsResponse>(`${c.url}/api/endpoints`)).body;
    expect(ep.vllm).toEqual({ base_url: status.vllm.base_url, model: status.vllm.model, ready: true });
  });

  it('reports an idle vLLM as ok with a note', async () => {
    c.sim.faults.vllmDown();
    try {
      const s = await waitFor(async () => {
        const r = (await getJson<StatusResponse>(`${c.url}/api/status`)).body;
        return r.vllm.model === null ? r : null;
      });
      expect(s.vllm.ok).toBe(true);
      expect(s.vllm.note).toMatch(/idle/);
    } finally {
      c.sim.faults.vllmUp();
    }
  });

  it('describes itself as a simulated cluster', async () => {
    const meta = (await getJson<MetaResponse>(`${c.url}/api/meta`)).body;
    expect(meta.simulated).toBe(true);
    expect(meta.nodes.map((n) => n.name)).toEqual(['spark1', 'spark2']);
    expect(meta.nodes[0]?.roles).toContain('vllm');
  });

  it('answers unknown routes, bad JSON and bad parameters with 4xx JSON, OpenAI-shaped under /v1', async () => {
    const missing = await getJson<{ error: { code: string } }>(`${c.url}/api/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    const v1 = await getJson<{ error: { message: string; type: string; code: string } }>(
      `${c.url}/v1/nothing`,
    );
    expect(v1.status).toBe(404);
    expect(v1.body.error).toMatchObject({ type: 'not_found_error', param: null });
    const badJson = await getJson<{ error: { message: string } }>(`${c.url}/api/sim/nodes/spark1/latency`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"ms":',
    });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.message).toMatch(/JSON/);
    const badBody = await getJson<{ error: { code: string } }>(`${c.url}/api/sim/nodes/spark1/latency`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"ms":-5}',
    });
    expect(badBody.status).toBe(400);
    expect(badBody.body.error.code).toBe('VALIDATION_FAILED');
    const unknownNode = await fetch(`${c.url}/api/sim/nodes/ghost/down`, { method: 'POST' });
    expect(unknownNode.status).toBe(404);
  });

  it('documents every API route in the generated OpenAPI document', async () => {
    const doc = (
      await getJson<{ paths: Record<string, Record<string, { summary?: string }>> }>(`${c.url}/docs/json`)
    ).body;
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/api/hardware',
      '/api/hardware/history',
      '/api/status',
      '/api/endpoints',
      '/api/events',
      '/api/ssh/public-key',
      '/api/ssh/retrust/{node}',
      '/api/meta',
    ]) {
      expect(paths).toContain(p);
    }
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) expect(op.summary, `${method} ${path}`).toBeTruthy();
    }
    const ui = await fetch(`${c.url}/docs`, { redirect: 'follow' });
    expect(ui.status).toBe(200);
  });

  it('gives a public key whose command really authorizes it, once', async () => {
    const key = (
      await getJson<{
        public_key: string;
        fingerprint: string;
        commands: { node: string; command: string }[];
      }>(`${c.url}/api/ssh/public-key`)
    ).body;
    expect(key.fingerprint).toMatch(/^SHA256:/);
    expect(key.commands.map((x) => x.node)).toEqual(['spark1', 'spark2']);
    const home = mkdtempSync(join(tmpdir(), 'sc-home-'));
    for (let i = 0; i < 2; i++) {
      const r = runShellSandboxed(key.commands[0]!.command, { home });
      expect(r.status).toBe(0);
    }
    const lines = readFileSync(join(home, '.ssh', 'authorized_keys'), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toEqual([key.public_key]);
    rmSync(home, { recursive: true, force: true });
  });
});
