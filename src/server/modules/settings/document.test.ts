import { describe, expect, it } from 'vitest';
import { checkSettings } from '../../config/load.js';
import { docPath, docToFile, dropCleared, fileToDoc, projectSettings } from './document.js';

const FILE = {
  cluster_name: 'Lab',
  nodes: [
    { name: 'spark1', host: 'spark1.local', user: 'alice' },
    { name: 'spark2', host: 'spark2.local', user: 'alice', mac: 'aa:bb:cc:dd:ee:ff' },
  ],
  ngc_api_key: 'nvapi-x',
  gateway: { max_body_mb: 32 },
  hardware: { interval_s: 7 },
};

describe('file ↔ page document', () => {
  it('moves the top-level secrets under `secrets` and back', () => {
    const doc = fileToDoc(FILE);
    expect(doc.secrets).toEqual({ ngc_api_key: 'nvapi-x' });
    expect(doc).not.toHaveProperty('ngc_api_key');
    expect(docToFile(doc)).toEqual(FILE);
    // A cleared secret is left out of the file.
    expect(docToFile({ secrets: { ngc_api_key: null, hf_token: 'hf' } })).toEqual({ hf_token: 'hf' });
    expect(docPath('ngc_api_key')).toBe('secrets.ngc_api_key');
    // The Qdrant API key travels the same way (file top level ↔ secrets), and its problems too.
    expect(fileToDoc({ qdrant_api_key: 'qd' })).toEqual({ secrets: { qdrant_api_key: 'qd' } });
    expect(docToFile({ secrets: { qdrant_api_key: 'qd' } })).toEqual({ qdrant_api_key: 'qd' });
    expect(docPath('qdrant_api_key')).toBe('secrets.qdrant_api_key');
    expect(docPath('nodes.1.host')).toBe('nodes.1.host');
  });

  it('drops null and empty nullable text, keeping list rows in place', () => {
    expect(
      dropCleared({
        nodes: [{ name: 'a', qsfp_ip: '', mac: null, host: 'h' }, { name: 'b' }],
        open_webui_url: '',
        cluster_name: '',
        secrets: { hf_token: null },
      }),
    ).toEqual({ nodes: [{ name: 'a', host: 'h' }, { name: 'b' }], cluster_name: '', secrets: {} });
  });
});

describe('projectSettings', () => {
  it('shows every SPEC §1 field with its default and the other sections as written', () => {
    const checked = checkSettings(structuredClone(FILE), {});
    expect(checked.problems).toEqual([]);
    const doc = projectSettings(checked.settings!, checked.candidate);
    expect(doc.nodes?.[0]).toEqual({
      name: 'spark1',
      host: 'spark1.local',
      user: 'alice',
      ssh_port: 22,
      qsfp_ip: null,
      mac: null,
    });
    expect(doc.vllm).toEqual({
      nodes: ['spark1'],
      port: 8888,
      container: 'vllm_node',
      launcher_dir: '~/spark-vllm-docker',
    });
    expect(doc.services?.parakeet).toMatchObject({ node: 'spark2', port: 8000, kind: 'asr' });
    expect(doc.secrets).toEqual({ ngc_api_key: 'nvapi-x', hf_token: null, qdrant_api_key: null });
    expect(doc.gateway).toEqual({ max_body_mb: 32 });
    expect(doc.hardware).toEqual({ interval_s: 7 });
    expect(doc).not.toHaveProperty('ngc_api_key');
  });

  it('round-trips: the projection, cleared and saved, validates to the same settings', () => {
    const first = checkSettings(structuredClone(FILE), {});
    const doc = projectSettings(first.settings!, first.candidate);
    const again = checkSettings(docToFile(dropCleared(doc) as typeof doc), {});
    expect(again.problems).toEqual([]);
    expect(again.settings).toEqual(first.settings);
  });

  it('with no nodes (the simulated cluster) lists no vLLM nodes, which would not validate', () => {
    const checked = checkSettings({}, {});
    const doc = projectSettings(checked.settings!, checked.candidate);
    expect(doc.nodes).toEqual([]);
    expect(doc.vllm).not.toHaveProperty('nodes');
    expect(checkSettings(docToFile(dropCleared(doc) as typeof doc), {}).problems).toEqual([]);
  });
});
