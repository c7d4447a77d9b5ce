import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { validateSettings } from '../../src/server/config/validate.js';
import { applyForm, formProblems, prefillFromDocument, type SparksForm } from './config-document.js';

const emptyService = { node: null, port: null, container: null };

function form(over: Partial<SparksForm> = {}): SparksForm {
  return {
    cluster_name: 'Lab',
    nodes: [
      {
        name: 'spark1',
        host: 'spark1.local',
        user: 'alice',
        ssh_port: null,
        qsfp_ip: '192.0.2.21',
        mac: null,
      },
      {
        name: 'spark2',
        host: '192.0.2.12',
        user: 'alice',
        ssh_port: 2222,
        qsfp_ip: null,
        mac: '00:11:22:33:44:55',
      },
    ],
    vllm: { nodes: ['spark1'], port: 8888, container: null, launcher_dir: '~/spark-vllm-docker' },
    parakeet: { node: 'spark2', port: null, container: null },
    magpie: { node: 'spark2', port: 9001, container: 'magpie-tts' },
    embeddings_url: null,
    qdrant_url: 'http://192.0.2.30:6333',
    open_webui_url: null,
    matrix_bridge_user: null,
    webhooks: ['https://hooks.example.com/swap'],
    api_keys: [{ name: 'webui', key: 'sk-new-key', always_redact: false }],
    ngc_api_key: null,
    hf_token: null,
    qdrant_api_key: null,
    metrics_token: null,
    remove_secrets: [],
    ...over,
  };
}

describe('Configure Sparks → config file', () => {
  it("writes a document the server's own validation accepts, in the file's shape", () => {
    const doc = applyForm({}, form({ ngc_api_key: 'nvapi-secret' }));
    // Through YAML and back, as the file is written and read.
    const result = validateSettings(parse(stringify(doc)) as Record<string, unknown>);
    expect(result.ok).toBe(true);
    expect(doc).toMatchObject({
      nodes: [
        { name: 'spark1', host: 'spark1.local', user: 'alice', qsfp_ip: '192.0.2.21' },
        { name: 'spark2', ssh_port: 2222, mac: '00:11:22:33:44:55' },
      ],
      services: {
        parakeet: { node: 'spark2', port: 8000, kind: 'asr' },
        magpie: { node: 'spark2', port: 9001, container: 'magpie-tts', kind: 'tts' },
      },
      ngc_api_key: 'nvapi-secret',
    });
    // Empty optional fields are left out (the server's defaults apply), not written as null.
    expect(doc.nodes).toEqual(expect.arrayContaining([expect.not.objectContaining({ ssh_port: null })]));
    expect(doc).not.toHaveProperty('embeddings_url');
    expect(doc.vllm).not.toHaveProperty('container');
  });

  it('keeps saved secrets when their fields are blank, replaces or removes them when asked', () => {
    const current = {
      ngc_api_key: 'old-ngc',
      hf_token: 'old-hf',
      qdrant_api_key: 'old-qdrant',
      metrics: { token: 'old-metrics-token-123' },
      api_keys: [{ name: 'webui', key: 'sk-old' }],
    };
    const kept = applyForm(current, form({ api_keys: [{ name: 'webui', key: null, always_redact: true }] }));
    expect(kept).toMatchObject({
      ngc_api_key: 'old-ngc',
      hf_token: 'old-hf',
      qdrant_api_key: 'old-qdrant',
      metrics: { token: 'old-metrics-token-123' },
    });
    expect(kept.api_keys).toEqual([{ name: 'webui', key: 'sk-old', always_redact: true }]);

    const changed = applyForm(
      current,
      form({ hf_token: 'new-hf', remove_secrets: ['ngc_api_key', 'metrics_token'] }),
    );
    expect(changed.hf_token).toBe('new-hf');
    expect(changed).not.toHaveProperty('ngc_api_key');
    expect(changed).not.toHaveProperty('metrics');
    expect(changed.qdrant_api_key).toBe('old-qdrant');
    const qdrant = applyForm(current, form({ qdrant_api_key: 'new-qdrant' }));
    expect(qdrant.qdrant_api_key).toBe('new-qdrant');
    expect(applyForm(current, form({ remove_secrets: ['qdrant_api_key'] }))).not.toHaveProperty(
      'qdrant_api_key',
    );
    expect(changed.api_keys).toEqual([{ name: 'webui', key: 'sk-new-key' }]);
    // The input document is not changed in place.
    expect(current.ngc_api_key).toBe('old-ngc');
  });

  it('keeps sections the form does not show and fields of services it does', () => {
    const current = {
      gateway: { swap_on_request: true },
      hardware: { interval_s: 5 },
      services: {
        parakeet: { node: 'spark2', port: 8000, kind: 'asr', api: 'nim' },
        bot: { node: 'spark1', port: 7000, kind: 'bot' },
      },
    };
    const doc = applyForm(current, form({ magpie: emptyService }));
    expect(doc).toMatchObject({ gateway: { swap_on_request: true }, hardware: { interval_s: 5 } });
    expect(doc.services).toEqual({
      parakeet: { node: 'spark2', port: 8000, kind: 'asr', api: 'nim' },
      bot: { node: 'spark1', port: 7000, kind: 'bot' },
    });
  });

  it('prefills every setting but never a secret', () => {
    const current = applyForm(
      {},
      form({
        ngc_api_key: 'nvapi-secret',
        qdrant_api_key: 'qd-secret-k',
        metrics_token: 'metrics-token-1234567',
      }),
    );
    const prefill = prefillFromDocument(current);
    expect(JSON.stringify(prefill)).not.toMatch(/nvapi-secret|qd-secret-k|metrics-token-1234567|sk-new-key/);
    expect(prefill.nodes?.[1]).toEqual({
      name: 'spark2',
      host: '192.0.2.12',
      user: 'alice',
      ssh_port: 2222,
      qsfp_ip: null,
      mac: '00:11:22:33:44:55',
    });
    expect(prefill.api_keys).toEqual([{ name: 'webui', key: null, always_redact: false }]);
    expect(prefill.magpie).toEqual({ node: 'spark2', port: 9001, container: 'magpie-tts' });
  });

  it('lists problems that span fields, so nothing is written', () => {
    const problems = formProblems(
      form({
        nodes: [...form().nodes, { ...form().nodes[0]!, host: '192.0.2.99' }],
        vllm: { nodes: ['spark9'], port: null, container: null, launcher_dir: null },
        parakeet: { node: 'spark7', port: null, container: null },
        api_keys: [{ name: 'cron', key: null, always_redact: false }],
      }),
      {},
    );
    expect(problems).toEqual([
      'Sparks: the name "spark1" is used twice',
      'vLLM nodes: "spark9" is not one of the Sparks listed above',
      'parakeet: "spark7" is not one of the Sparks listed above',
      'API keys: "cron" is new and needs a key',
    ]);
    expect(formProblems(form(), {})).toEqual([]);
  });
});
