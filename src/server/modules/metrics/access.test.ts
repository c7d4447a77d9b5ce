import { describe, expect, it } from 'vitest';
import { metricsGuard } from './access.js';

const TOKEN = 'metrics-token-0123456789';
const ADMIN = 'admin-token-0123456789ab';
const isAdmin = (h: { authorization?: string }) => h.authorization === `Bearer ${ADMIN}`;

describe('metricsGuard', () => {
  it('is open when there is neither a metrics token nor admin auth', () => {
    expect(metricsGuard({ token: null, adminAuth: false, isAdmin })({})).toEqual({ ok: true });
  });

  it('with a metrics token, wants that token (or an admin credential) and refuses anything else', () => {
    const guard = metricsGuard({ token: TOKEN, adminAuth: false, isAdmin });
    expect(guard({ authorization: `Bearer ${TOKEN}` }).ok).toBe(true);
    expect(guard({ authorization: `bearer   ${TOKEN} ` }).ok).toBe(true);
    expect(guard({}).ok).toBe(false);
    expect(guard({ authorization: `Bearer ${TOKEN}x` }).ok).toBe(false);
    expect(guard({ authorization: `Bearer ${TOKEN.slice(0, -1)}` }).ok).toBe(false);
    expect(guard({ authorization: TOKEN }).ok).toBe(false);
    // Admin auth off: an admin token means nothing here.
    expect(guard({ authorization: `Bearer ${ADMIN}` }).ok).toBe(false);
    const withAdmin = metricsGuard({ token: TOKEN, adminAuth: true, isAdmin });
    expect(withAdmin({ authorization: `Bearer ${ADMIN}` }).ok).toBe(true);
  });

  it('with admin auth and no metrics token, wants an admin credential and says how to set a token', () => {
    const guard = metricsGuard({ token: null, adminAuth: true, isAdmin });
    expect(guard({ authorization: `Bearer ${ADMIN}` }).ok).toBe(true);
    const refused = guard({ authorization: 'Bearer something-else-entirely' });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.message).toContain('METRICS_TOKEN');
  });

  it('never echoes what was sent', () => {
    const refused = metricsGuard({ token: TOKEN, adminAuth: false, isAdmin })({
      authorization: 'Bearer leaked-value-123',
    });
    expect(JSON.stringify(refused)).not.toContain('leaked-value-123');
    expect(JSON.stringify(refused)).not.toContain(TOKEN);
  });
});
