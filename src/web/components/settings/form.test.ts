import { describe, expect, it } from 'vitest';
import { SECRET_MASK, type SettingsDocument } from '../../../common/config-api.js';
import { documentToForm, formToDocument, numberOrText, secretValue } from './form.js';

const doc: SettingsDocument = {
  cluster_name: 'lab',
  nodes: [
    { name: 'spark1', host: 'spark1.local', user: 'alice', ssh_port: 2222, qsfp_ip: '192.0.2.1' },
    { name: 'spark2', host: 'spark2.local', user: 'alice', mac: 'aa:bb:cc:dd:ee:ff' },
  ],
  vllm: { nodes: ['spark1'], port: 8888, container: 'vllm_node', launcher_dir: '~/spark-vllm-docker' },
  services: {
    parakeet: { node: 'spark2', port: 8000, container: 'parakeet-asr', kind: 'asr' },
    magpie: { node: 'spark2', port: 9000, kind: 'tts', api: 'nim' },
  },
  embeddings_url: 'http://192.0.2.5:8080',
  webhooks: ['http://192.0.2.9/hook'],
  api_keys: [{ name: 'webui', key: SECRET_MASK, always_redact: true }],
  secrets: { ngc_api_key: SECRET_MASK, hf_token: null, qdrant_api_key: SECRET_MASK },
  metrics: { token: null },
  hardware: { interval_s: 5 },
  auth: { admin_password_hash: 'scrypt$1$2$3$salt$hash', session_hours: 12 },
};

describe('settings form ↔ document', () => {
  it('round-trips a document unchanged when nothing is edited', () => {
    const { document, problems } = formToDocument(documentToForm(doc));
    expect(problems).toEqual([]);
    expect(document).toEqual({ ...doc, webhooks: ['http://192.0.2.9/hook'] });
  });

  it('never puts a secret into the form, and keeps stored secrets with the mask', () => {
    const form = documentToForm(doc);
    expect(JSON.stringify(form)).not.toContain(SECRET_MASK);
    expect(form.api_keys[0]).toMatchObject({ key: '', stored: true });
    expect(form.secrets.ngc_api_key).toMatchObject({ stored: true, value: '' });
    expect(form.secrets.hf_token.stored).toBe(false);
    expect(form.secrets.qdrant_api_key).toMatchObject({ stored: true, value: '' });
  });

  it('replaces, clears and keeps secrets as asked', () => {
    const form = documentToForm(doc);
    form.secrets.ngc_api_key = { stored: true, action: 'clear', value: '' };
    form.secrets.hf_token = { stored: false, action: 'replace', value: 'hf_new' };
    form.secrets.qdrant_api_key = { stored: true, action: 'replace', value: 'qd-new' };
    form.api_keys[0]!.key = 'sk-new';
    form.api_keys.push({ id: 99, name: 'cron', key: '', stored: false, always_redact: false });
    const { document } = formToDocument(form);
    expect(document.secrets).toEqual({ ngc_api_key: null, hf_token: 'hf_new', qdrant_api_key: 'qd-new' });
    expect(document.api_keys).toEqual([
      { name: 'webui', key: 'sk-new', always_redact: true },
      // A new key left blank is sent blank: the server says it is required, beside the field.
      { name: 'cron', key: '' },
    ]);
  });

  it('sends typed numbers as numbers and anything else as the text, blanks left out', () => {
    const form = documentToForm(doc);
    form.nodes[0]!.ssh_port = ' 22 ';
    form.nodes[1]!.ssh_port = '22x';
    form.vllm.port = '';
    form.nodes[1]!.mac = '  ';
    const { document } = formToDocument(form);
    expect(document.nodes?.[0]?.ssh_port).toBe(22);
    expect(document.nodes?.[1]?.ssh_port).toBe('22x');
    expect(document.nodes?.[1]).not.toHaveProperty('mac');
    expect(document.vllm).not.toHaveProperty('port');
  });

  it('leaves nodes out when there are none (the simulated cluster), never an empty list', () => {
    const form = documentToForm(doc);
    form.nodes = [];
    expect(formToDocument(form).document).not.toHaveProperty('nodes');
  });

  it('refuses duplicate or blank service names and bad YAML locally, beside the row', () => {
    const form = documentToForm(doc);
    form.services[1]!.name = 'parakeet';
    form.services.push({ id: 7, name: ' ', node: 'spark1', port: '1', container: '', kind: 'asr', api: '' });
    form.other[0]!.text = 'interval_s: [5';
    const { problems } = formToDocument(form);
    expect(problems.map((p) => p.path)).toEqual(['services.parakeet', 'services.#7', 'hardware']);
    expect(problems[2]!.message).toMatch(/not valid YAML/);
  });

  it('shows auth with its secrets hidden but sends it back exactly as it came', () => {
    const form = documentToForm(doc);
    const auth = form.other.find((o) => o.key === 'auth')!;
    expect(auth.readOnly).toBe(true);
    expect(auth.text).not.toContain('scrypt');
    auth.text = 'garbage: [';
    expect(formToDocument(form).document.auth).toEqual(doc.auth);
  });

  it('edits other sections as YAML; a blank section is removed', () => {
    const form = documentToForm(doc);
    expect(form.other[0]).toMatchObject({ key: 'hardware', text: 'interval_s: 5' });
    form.other[0]!.text = 'interval_s: 7\nhistory_hours: 2';
    expect(formToDocument(form).document.hardware).toEqual({ interval_s: 7, history_hours: 2 });
    form.other[0]!.text = '';
    expect(formToDocument(form).document).not.toHaveProperty('hardware');
  });
});

describe('numberOrText / secretValue', () => {
  it('reads whole numbers only', () => {
    expect(numberOrText('8888')).toBe(8888);
    expect(numberOrText('88.5')).toBe('88.5');
    expect(numberOrText('-1')).toBe('-1');
    expect(numberOrText('')).toBeUndefined();
  });
  it('a replace with nothing typed keeps what is stored', () => {
    expect(secretValue({ stored: true, action: 'replace', value: '' })).toBe(SECRET_MASK);
    expect(secretValue({ stored: false, action: 'replace', value: '' })).toBeNull();
  });
});
