import { describe, expect, it } from 'vitest';
import { SECRET_MASK } from '../../../common/config-api.js';
import { documentToForm } from './form.js';
import { envFor, envWithin, knownPaths, normalizePath, placeProblems } from './problems.js';

const form = documentToForm({
  nodes: [
    { name: 'spark1', host: 'spark1.local', user: 'alice' },
    { name: 'spark2', host: 'spark2.local', user: 'alice' },
  ],
  services: { parakeet: { node: 'spark2', port: 8000, kind: 'asr' } },
  api_keys: [{ name: 'webui', key: SECRET_MASK }],
  webhooks: ['http://192.0.2.9/hook'],
  gateway: { max_body_mb: 10 },
});

describe('placeProblems', () => {
  const known = knownPaths(form);

  it('puts each problem beside its own field', () => {
    const { at, unplaced } = placeProblems(
      [
        { path: 'nodes.1.host', message: 'bad host' },
        { path: 'nodes.1.host', message: 'too long' },
        { path: 'services.parakeet.port', message: 'bad port' },
        { path: 'api_keys.0.key', message: 'empty' },
        { path: 'webhooks.0', message: 'not a URL' },
      ],
      known,
    );
    expect(unplaced).toEqual([]);
    expect(at.get('nodes.1.host')).toEqual(['bad host', 'too long']);
    expect(at.get('services.parakeet.port')).toEqual(['bad port']);
    expect(at.get('api_keys.0.key')).toEqual(['empty']);
    expect(at.get('webhooks.0')).toEqual(['not a URL']);
  });

  it('falls back to the nearest row or section, then to the list at the top', () => {
    const { at, unplaced } = placeProblems(
      [
        { path: 'nodes.0', message: 'duplicate name' },
        { path: 'nodes.0.extra', message: 'unknown field' },
        { path: 'gateway.max_body_mb', message: 'too big' },
        { path: 'vllm.nodes.3', message: 'no such node' },
        { path: 'nodes.7.host', message: 'gone' },
        { path: 'SPARK1_HOST', message: 'from env' },
        { path: 'bogus', message: 'unknown key' },
      ],
      known,
    );
    expect(at.get('nodes.0')).toEqual(['duplicate name', 'unknown field']);
    expect(at.get('gateway')).toEqual(['too big']);
    expect(at.get('vllm.nodes')).toEqual(['no such node']);
    // A row that is not on the page any more still lands with its section.
    expect(at.get('nodes')).toEqual(['gone']);
    expect(unplaced.map((p) => p.path)).toEqual(['SPARK1_HOST', 'bogus']);
  });

  it('reads JSON-pointer paths and the file keys of secrets', () => {
    expect(normalizePath('/nodes/1/host')).toBe('nodes.1.host');
    expect(normalizePath('ngc_api_key')).toBe('secrets.ngc_api_key');
    expect(normalizePath('qdrant_api_key')).toBe('secrets.qdrant_api_key');
    expect(
      placeProblems([{ path: 'qdrant_api_key', message: 'q' }], known).at.get('secrets.qdrant_api_key'),
    ).toEqual(['q']);
    const { at } = placeProblems([{ path: 'hf_token', message: 'bad' }], known);
    expect(at.get('secrets.hf_token')).toEqual(['bad']);
  });
});

describe('envFor', () => {
  const env = { nodes: 'SPARK1_HOST', 'vllm.port': 'VLLM_PORT', ngc_api_key: 'NGC_API_KEY' };
  it('finds the variable behind a key or a section containing it', () => {
    expect(envFor('nodes.0.host', env)).toBe('SPARK1_HOST');
    expect(envFor('vllm.port', env)).toBe('VLLM_PORT');
    expect(envFor('vllm.container', env)).toBeUndefined();
    expect(envFor('secrets.ngc_api_key', env)).toBe('NGC_API_KEY');
    expect(envFor('cluster_name', env)).toBeUndefined();
  });
});

describe('envWithin', () => {
  it('finds a variable on any field of a row, or above it', () => {
    const env = {
      'nodes.1.host': 'SPARK2_HOST',
      'nodes.1.user': 'SPARK2_USER',
      api_keys: 'GATEWAY_API_KEYS',
    };
    expect(envWithin('nodes.1', env)).toBe('SPARK2_HOST');
    expect(envWithin('nodes.0', env)).toBeUndefined();
    expect(envWithin('nodes.10', env)).toBeUndefined();
    expect(envWithin('api_keys.0', env)).toBe('GATEWAY_API_KEYS');
  });
});
