import { describe, expect, it } from 'vitest';
import { SECRET_MASK, type SettingsDocument } from '../../../common/config-api.js';
import { maskDocument, unmaskDocument } from './secrets.js';

const stored: SettingsDocument = {
  api_keys: [
    { name: 'webui', key: 'sk-webui-secret', always_redact: false },
    { name: 'crm', key: 'sk-crm-secret' },
  ],
  secrets: { ngc_api_key: 'nvapi-secret', hf_token: null, qdrant_api_key: 'qd-secret-key' },
  metrics: { token: 'metrics-token-0123456789' },
  auth: {
    admin_password_hash: 'scrypt$16384$8$1$salt$hash',
    admin_tokens: [{ name: 'cli', token: 'admin-token-0123456789' }],
    session_hours: 24,
  },
};

describe('maskDocument', () => {
  it('hides every secret: set ones become the mask, unset ones stay null', () => {
    const masked = maskDocument(stored);
    const text = JSON.stringify(masked);
    for (const secret of [
      'sk-webui-secret',
      'sk-crm-secret',
      'nvapi-secret',
      'qd-secret-key',
      'metrics-token',
      'scrypt$',
      'admin-token',
    ])
      expect(text).not.toContain(secret);
    expect(masked.secrets).toEqual({ ngc_api_key: SECRET_MASK, hf_token: null, qdrant_api_key: SECRET_MASK });
    expect(masked.api_keys?.map((k) => k.key)).toEqual([SECRET_MASK, SECRET_MASK]);
    expect(masked.metrics).toEqual({ token: SECRET_MASK });
    expect(masked.auth).toEqual({
      admin_password_hash: SECRET_MASK,
      admin_tokens: [{ name: 'cli', token: SECRET_MASK }],
      session_hours: 24,
    });
    // The input is not touched.
    expect(stored.secrets?.ngc_api_key).toBe('nvapi-secret');
  });
});

describe('unmaskDocument', () => {
  it('puts the stored secret back where the mask came back, matching listed secrets by name', () => {
    const { doc, problems } = unmaskDocument(
      {
        // Reordered, one new key in clear.
        api_keys: [
          { name: 'crm', key: SECRET_MASK },
          { name: 'new', key: 'sk-new' },
          { name: 'webui', key: SECRET_MASK },
        ],
        secrets: { ngc_api_key: SECRET_MASK, hf_token: 'hf_new' },
        metrics: { token: SECRET_MASK },
        auth: { admin_password_hash: SECRET_MASK, admin_tokens: [{ name: 'cli', token: SECRET_MASK }] },
      },
      stored,
    );
    expect(problems).toEqual([]);
    expect(doc.api_keys).toEqual([
      { name: 'crm', key: 'sk-crm-secret' },
      { name: 'new', key: 'sk-new' },
      { name: 'webui', key: 'sk-webui-secret' },
    ]);
    expect(doc.secrets).toEqual({ ngc_api_key: 'nvapi-secret', hf_token: 'hf_new' });
    expect(doc.metrics).toEqual({ token: 'metrics-token-0123456789' });
    expect((doc.auth as { admin_tokens: unknown }).admin_tokens).toEqual([
      { name: 'cli', token: 'admin-token-0123456789' },
    ]);
  });

  it('a mask with nothing stored behind it is a problem at its field; a masked unset secret stays unset', () => {
    const { doc, problems } = unmaskDocument(
      {
        api_keys: [{ name: 'renamed', key: SECRET_MASK }],
        secrets: { hf_token: SECRET_MASK },
      },
      stored,
    );
    expect(problems).toEqual([
      { path: 'api_keys.0.key', message: expect.stringMatching(/renamed.*enter one/) },
    ]);
    expect(doc.secrets).toEqual({});
  });

  it('keeps a stored Qdrant API key behind its mask and clears it on null', () => {
    const kept = unmaskDocument({ secrets: { qdrant_api_key: SECRET_MASK } }, stored).doc;
    expect(kept.secrets).toEqual({ qdrant_api_key: 'qd-secret-key' });
    const cleared = unmaskDocument({ secrets: { qdrant_api_key: null } }, stored).doc;
    expect(cleared.secrets).toEqual({ qdrant_api_key: null });
  });

  it('null and a new value pass through (clearing and replacing)', () => {
    const { doc } = unmaskDocument({ secrets: { ngc_api_key: null, hf_token: 'x' } }, stored);
    expect(doc.secrets).toEqual({ ngc_api_key: null, hf_token: 'x' });
  });
});
