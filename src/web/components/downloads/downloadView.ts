// Pure helpers of the download dialog: a job's per-node parts as rows to draw (percent, sizes,
// rate, ETA), what the job allows next, and the catalog form pre-filled from a finished download.
import type { JobInfo } from '../../../common/api.js';
import type { DownloadJobMeta, DownloadNodeProgress } from '../../../common/downloads-api.js';
import { EMPTY_MODEL_FORM, type ModelFormValues } from '../../lib/modelForm.js';

export interface NodeRow {
  node: string;
  state: DownloadNodeProgress['state'];
  /** 0..100, or null while the size is unknown. */
  pct: number | null;
  sizes: string;
  speed: string;
  eta: string;
  error: string | null;
  cli: string | null;
}

const GB = 1e9;
const gb = (n: number): string => (n >= 10 * GB ? (n / GB).toFixed(1) : (n / GB).toFixed(2)) + ' GB';

export function formatRate(bps: number | null): string {
  if (bps === null || !Number.isFinite(bps) || bps <= 0) return '';
  return bps >= 1e9 ? `${(bps / 1e9).toFixed(1)} GB/s` : `${Math.round(bps / 1e6)} MB/s`;
}

export function formatEta(s: number | null): string {
  if (s === null || !Number.isFinite(s) || s < 0) return '';
  if (s < 60) return `${Math.round(s)} s left`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s left`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min left`;
}

export function downloadMeta(job: JobInfo | null): DownloadJobMeta | null {
  const m = job?.meta as Partial<DownloadJobMeta> | undefined;
  return m && typeof m.repo === 'string' && m.nodes && typeof m.nodes === 'object'
    ? (m as DownloadJobMeta)
    : null;
}

export function nodeRows(job: JobInfo | null): NodeRow[] {
  const m = downloadMeta(job);
  if (!m) return [];
  return Object.values(m.nodes).map((p) => {
    // a part the job left `running` when it ended (a restart) is interrupted, not running
    const state = p.state === 'running' && job?.state !== 'running' ? 'failed' : p.state;
    const pct = p.total
      ? Math.min(100, Math.floor((p.bytes / p.total) * 100))
      : state === 'succeeded'
        ? 100
        : null;
    return {
      node: p.node,
      state,
      pct,
      sizes: p.total ? `${gb(p.bytes)} of ${gb(p.total)}` : p.bytes ? gb(p.bytes) : '',
      speed: state === 'running' ? formatRate(p.rate_bps) : '',
      eta: state === 'running' ? formatEta(p.eta_s) : '',
      error: p.state === 'running' && state === 'failed' ? `interrupted (${job?.state ?? 'ended'})` : p.error,
      cli: p.cli,
    };
  });
}

export interface DownloadActions {
  cancel: boolean;
  retry: boolean;
  addToCatalog: boolean;
}

export function actionsFor(job: JobInfo | null): DownloadActions {
  const rows = nodeRows(job);
  const running = job?.state === 'running';
  return {
    cancel: running,
    retry: !running && job !== null && rows.some((r) => r.state !== 'succeeded'),
    addToCatalog: job?.state === 'succeeded' || (!running && rows.some((r) => r.state === 'succeeded')),
  };
}

/** A catalog key from a repo name: lower case, `[a-z0-9-]`, at most 48 characters. */
export function keyFromRepo(repo: string): string {
  const name = repo.split('/').pop() ?? repo;
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'model'
  );
}

/** The "Add model" form for a downloaded repo: default knobs (no extra vLLM args), its size. */
export function catalogFormFor(job: JobInfo | null): ModelFormValues | null {
  const m = downloadMeta(job);
  if (!m) return null;
  const sizes = Object.values(m.nodes)
    .filter((p) => p.state === 'succeeded' && p.total)
    .map((p) => p.total ?? 0);
  const bytes = sizes.length ? Math.max(...sizes) : 0;
  return {
    ...EMPTY_MODEL_FORM,
    key: keyFromRepo(m.repo),
    display_name: m.repo.split('/').pop() ?? m.repo,
    source: 'repo',
    repo: m.repo,
    size_gb: bytes ? String(Math.max(0.1, Math.round((bytes / GB) * 10) / 10)) : '',
    mode: 'solo',
  };
}
