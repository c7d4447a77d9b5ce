import { describe, expect, it } from 'vitest';
import { changedKeys, splitLive } from './diff.js';

describe('changedKeys', () => {
  it('names changed keys of sections key by key and lists as a whole', () => {
    const before = {
      cluster_name: 'A',
      nodes: [{ name: 'spark1', host: 'spark1.local', user: 'u' }],
      vllm: { port: 8888, container: 'vllm_node' },
      webhooks: ['http://192.0.2.1/hook'],
      gateway: { max_body_mb: 16 },
    };
    const after = {
      cluster_name: 'A',
      nodes: [{ name: 'spark1', host: 'spark1.local', user: 'v' }],
      vllm: { port: 8889, container: 'vllm_node' },
      webhooks: ['http://192.0.2.1/hook'],
      gateway: { max_body_mb: 16, swap_on_request: true },
      open_webui_url: 'http://192.0.2.2:3000',
    };
    expect(changedKeys(before, after)).toEqual([
      'gateway.swap_on_request',
      'nodes',
      'open_webui_url',
      'vllm.port',
    ]);
    expect(changedKeys(after, structuredClone(after))).toEqual([]);
  });

  it('a section appearing or disappearing counts by its keys', () => {
    expect(changedKeys({}, { metrics: { token: 't' } })).toEqual(['metrics.token']);
    expect(changedKeys({ secrets: { hf_token: 'x' } }, {})).toEqual(['secrets.hf_token']);
  });
});

describe('splitLive', () => {
  it('applies the name and the Open WebUI link live; the rest waits for a restart', () => {
    expect(splitLive(['cluster_name', 'nodes', 'open_webui_url', 'vllm.port'])).toEqual({
      applied: ['cluster_name', 'open_webui_url'],
      pending: ['nodes', 'vllm.port'],
    });
  });
});
