// Pure helpers for a node card's state line and its ticking sample age.
import type { NodeErrorKind, NodeHardware } from '../../common/api.js';

const KIND_LABEL: Record<NodeErrorKind, string> = {
  unreachable: 'unreachable',
  timeout: 'timed out',
  auth_failed: 'key not authorized',
  host_key_changed: 'host key changed',
  probe_failed: 'probe failed',
};

/** The short state shown in a card's header pill. */
export function nodeStateLabel(n: Pick<NodeHardware, 'ok' | 'error_kind'>): string {
  if (n.ok) return 'online';
  return n.error_kind ? KIND_LABEL[n.error_kind] : 'unreachable';
}

/**
 * Seconds since the sample was taken, at browser time `now`. `age_s` is the age when the server
 * answered (at `receivedAt`, browser clock), so server/browser clock skew does not matter. Without
 * `age_s`, fall back to `sampled_at` against the browser clock.
 */
export function sampleAgeS(
  ageS: number | null,
  sampledAt: string | null,
  receivedAt: number,
  now: number,
): number | null {
  if (ageS != null && Number.isFinite(ageS) && receivedAt > 0) {
    return ageS + Math.max(0, now - receivedAt) / 1000;
  }
  const t = sampledAt ? Date.parse(sampledAt) : Number.NaN;
  if (!Number.isFinite(t)) return null;
  return Math.max(0, now - t) / 1000;
}
