// Who may scrape /metrics. The metrics name nodes, services, the loaded model and API-key names,
// so they are guarded like the rest of the control plane, with one narrower credential for
// Prometheus (which cannot log in):
// - `metrics.token` set: `Authorization: Bearer <metrics.token>` (or an admin credential);
// - no metrics token, admin auth on: an admin credential (an admin token, as the CLI sends);
// - neither: open, like every other read of an instance without auth.
// Tokens are compared digest to digest in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import { bearerToken } from '../gateway/auth.js';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export type MetricsAccess = { ok: true } | { ok: false; message: string };

export function metricsGuard(o: {
  token: string | null;
  adminAuth: boolean;
  isAdmin: (headers: { authorization?: string; cookie?: string }) => boolean;
}) {
  const want = o.token === null ? null : digest(o.token);
  return (headers: { authorization?: string; cookie?: string }): MetricsAccess => {
    if (want === null && !o.adminAuth) return { ok: true };
    const sent = bearerToken(headers.authorization);
    if (want !== null && sent !== null && timingSafeEqual(digest(sent), want)) return { ok: true };
    if (o.adminAuth && o.isAdmin(headers)) return { ok: true };
    return {
      ok: false,
      message:
        want !== null
          ? 'Send the metrics token: Authorization: Bearer <metrics.token> (bearer_token in the Prometheus scrape config).'
          : 'Admin auth is on: send an admin token (Authorization: Bearer <token>), or set metrics.token (METRICS_TOKEN) and give Prometheus that one.',
    };
  };
}
