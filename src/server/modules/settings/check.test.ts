import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SECRET_MASK, type SettingsDocument } from '../../../common/config-api.js';
import { checkSettings } from '../../config/load.js';
import { checkSubmitted, type Effective } from './check.js';
import { projectSettings } from './document.js';
import { envKeys } from './env-keys.js';
import { maskDocument } from './secrets.js';

const ENV = { SPARK2_HOST: '192.0.2.2', SPARK2_USER: 'bob', VLLM_PORT: '8890', NGC_API_KEY: 'nvapi-env' };
const FILE = {
  cluster_name: 'Lab',
  nodes: [{ name: 'spark1', host: 'spark1.local', user: 'alice' }],
  api_keys: [{ name: 'webui', key: 'sk-file' }],
};

function effective(file: Record<string, unknown>, env: Record<string, string>): Effective {
  const c = checkSettings(structuredClone(file), env);
  expect(c.problems).toEqual([]);
  return { file, doc: projectSettings(c.settings!, c.candidate), env: envKeys(c.origins) };
}

describe('checkSubmitted', () => {
  const current = effective(FILE, ENV);
  const page = maskDocument(current.doc);

  it('the page sending back what it got is valid and writes no environment value', () => {
    const r = checkSubmitted(page, current, ENV);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.file.nodes).toEqual([expect.objectContaining({ name: 'spark1', host: 'spark1.local' })]);
    expect(r.file).not.toHaveProperty('ngc_api_key');
    expect((r.file.vllm as Record<string, unknown>).port).toBeUndefined();
    expect(r.file.api_keys).toEqual([{ name: 'webui', key: 'sk-file', always_redact: false }]);
    expect(r.settings.vllm.port).toBe(8890);
    expect(r.settings.nodes.map((n) => n.name)).toEqual(['spark1', 'spark2']);
  });

  it('problems are at the page rows even with an environment node in the list', () => {
    const doc = structuredClone(page);
    doc.nodes = [doc.nodes![1]!, { ...doc.nodes![0]!, user: '9bad' }];
    const r = checkSubmitted(doc, current, ENV);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path)).toEqual(['nodes.1.user']);
  });

  it('never throws on any document: it answers ok or problems with a dotted path each', () => {
    const key = fc.constantFrom(
      'cluster_name',
      'nodes',
      'vllm',
      'services',
      'api_keys',
      'secrets',
      'metrics',
      'auth',
      'webhooks',
      'open_webui_url',
      'gateway',
      'redaction',
      'unknown_section',
    );
    const value = fc.oneof(
      fc.jsonValue(),
      fc.constant(SECRET_MASK),
      fc.constant(null),
      fc.array(
        fc.dictionary(fc.constantFrom('name', 'host', 'user', 'key', 'token', 'ssh_port'), fc.jsonValue()),
      ),
    );
    fc.assert(
      fc.property(fc.dictionary(key, value), (changes) => {
        const r = checkSubmitted({ ...page, ...changes } as SettingsDocument, current, ENV);
        if (!r.ok) {
          expect(r.problems.length).toBeGreaterThan(0);
          for (const p of r.problems) expect(typeof p.path === 'string' && p.message.length > 0).toBe(true);
          // A refusal never echoes a stored secret.
          expect(JSON.stringify(r.problems)).not.toMatch(/sk-file|nvapi-env/);
        } else {
          // What would be written loads to the same settings at the next start.
          const again = checkSettings(structuredClone(r.file), ENV);
          expect(again.problems).toEqual([]);
          expect(again.settings).toEqual(r.settings);
        }
      }),
      { numRuns: 150 },
    );
  });
});
