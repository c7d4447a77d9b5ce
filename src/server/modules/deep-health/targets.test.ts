// Which registry entries deep health probes, and how: only custom asr/tts services, with the NIM's
// health route and language for `api: nim`, never shadowing a configured target or `loopback`.
import { describe, expect, it } from 'vitest';
import { registeredTargets, type RegisteredService } from './targets.js';

const nodes = [
  { name: 'spark1', host: 'spark1.local' },
  { name: 'spark2', host: '127.0.0.1' },
];

const svc = (over: Partial<RegisteredService> & { name: string }): RegisteredService => ({
  kind: 'asr',
  node: 'spark2',
  container: `${over.name}-c`,
  port: 9000,
  api: 'nim',
  health_path: '/v1/health/ready',
  custom: true,
  ...over,
});

const plain = (ts: ReturnType<typeof registeredTargets>) =>
  ts.map((t) => ({
    name: t.name,
    kind: t.kind,
    node: t.node,
    container: t.container,
    base: t.baseUrl(),
    health: t.healthUrl(),
    language: t.language,
  }));

describe('registeredTargets', () => {
  it('makes an installed ASR NIM a target with the NIM health route and a BCP-47 language', () => {
    const ts = registeredTargets(
      nodes,
      [svc({ name: 'parakeet-nim', container: 'parakeet-nim' })],
      new Set(),
    );
    expect(plain(ts)).toEqual([
      {
        name: 'parakeet-nim',
        kind: 'asr',
        node: 'spark2',
        container: 'parakeet-nim',
        base: 'http://127.0.0.1:9000',
        health: 'http://127.0.0.1:9000/v1/health/ready',
        language: 'en-US',
      },
    ]);
  });

  it('makes a TTS NIM a tts target and a Parakeet-app ASR one that speaks `en` on /health', () => {
    const ts = registeredTargets(
      nodes,
      [
        svc({ name: 'magpie-nim', kind: 'tts', node: 'spark1', port: 9001 }),
        svc({ name: 'app-asr', api: 'parakeet-app', health_path: null }),
      ],
      new Set(),
    );
    expect(plain(ts).map((t) => [t.name, t.kind, t.health, t.language])).toEqual([
      ['magpie-nim', 'tts', 'http://spark1.local:9001/v1/health/ready', 'en-US'],
      ['app-asr', 'asr', 'http://127.0.0.1:9000/health', 'en'],
    ]);
  });

  it('leaves out configured entries and kinds without a speech probe', () => {
    const ts = registeredTargets(
      nodes,
      [
        svc({ name: 'parakeet', custom: false }),
        svc({ name: 'riva', kind: 'nim' }),
        svc({ name: 'bot', kind: 'bot', port: null }),
        svc({ name: 'other', kind: 'custom' }),
      ],
      new Set(),
    );
    expect(ts).toEqual([]);
  });

  it('never shadows a configured target (vllm) nor takes the loopback route', () => {
    const ts = registeredTargets(
      nodes,
      [svc({ name: 'vllm' }), svc({ name: 'loopback' }), svc({ name: 'kept' })],
      new Set(['vllm', 'parakeet', 'magpie']),
    );
    expect(ts.map((t) => t.name)).toEqual(['kept']);
  });

  it('keeps one it cannot reach as a target with no URL (probed as "not configured", not dropped)', () => {
    const ts = registeredTargets(
      nodes,
      [svc({ name: 'no-port', port: null }), svc({ name: 'gone-node', node: 'spark9' })],
      new Set(),
    );
    expect(plain(ts).map((t) => [t.name, t.base, t.health])).toEqual([
      ['no-port', null, null],
      ['gone-node', null, null],
    ]);
  });
});
