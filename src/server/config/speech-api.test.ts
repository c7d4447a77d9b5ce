// services.<name>.api: which API a speech service speaks (the Parakeet app or an NVIDIA NIM).
import { describe, expect, it } from 'vitest';
import { speechHealthPath } from '../modules/health/status-service.js';
import { problemLine } from './problems.js';
import { validateSettings } from './validate.js';

const nodes = [
  { name: 'spark1', host: 'spark1.local', user: 'alice' },
  { name: 'spark2', host: 'spark2.local', user: 'alice' },
];

describe('services.<name>.api', () => {
  it('defaults to parakeet-app for asr and nim for tts; other kinds have none', () => {
    const r = validateSettings({
      nodes,
      services: { emb: { node: 'spark1', port: 8001, kind: 'embeddings' } },
    });
    if (!r.ok) throw new Error(r.problems.map(problemLine).join('\n'));
    expect(r.config.services.parakeet?.api).toBe('parakeet-app');
    expect(r.config.services.magpie?.api).toBe('nim');
    expect(r.config.services.emb?.api).toBeUndefined();
  });

  it('takes nim for the ASR service', () => {
    const r = validateSettings({
      nodes,
      services: { parakeet: { node: 'spark2', port: 9000, kind: 'asr', api: 'nim' } },
    });
    if (!r.ok) throw new Error(r.problems.map(problemLine).join('\n'));
    expect(r.config.services.parakeet).toMatchObject({ api: 'nim', port: 9000, container: 'parakeet-asr' });
  });

  it('refuses an unknown api and an api on a service that is not speech, naming the key', () => {
    const r = validateSettings({
      nodes,
      services: {
        parakeet: { node: 'spark2', port: 8000, kind: 'asr', api: 'whisper' },
        emb: { node: 'spark1', port: 8001, kind: 'embeddings', api: 'nim' },
      },
    });
    expect(r.ok).toBe(false);
    const lines = r.ok ? [] : r.problems.map(problemLine).join('\n');
    expect(lines).toContain('services.parakeet.api');
    expect(lines).toContain('services.emb.api');
  });

  it('health: NIMs at /v1/health/ready, the Parakeet app at /health', () => {
    expect(speechHealthPath({ kind: 'asr', api: 'nim' })).toBe('/v1/health/ready');
    expect(speechHealthPath({ kind: 'asr', api: 'parakeet-app' })).toBe('/health');
    expect(speechHealthPath({ kind: 'tts' })).toBe('/v1/health/ready');
    expect(speechHealthPath({ kind: 'asr' })).toBe('/health');
  });
});
