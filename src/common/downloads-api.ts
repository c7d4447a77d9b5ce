// Shapes of the downloads API (SPEC §6, issue 12 item 1), shared by server and dashboard.

/** `POST /api/download` body: the target nodes by name, or the original's `mode`. */
export interface DownloadRequest {
  repo: string;
  nodes?: string[];
  /** spark1 = the first configured node, spark2 = the second, both = those two. */
  mode?: 'spark1' | 'spark2' | 'both';
}

export type DownloadNodeState = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** One node's part of a download job (`job.meta.nodes[node]`). */
export interface DownloadNodeProgress {
  node: string;
  state: DownloadNodeState;
  /** Bytes on disk of the files this run fetches (resumed bytes included), and their total. */
  bytes: number;
  /** null until the CLI printed the sizes. */
  total: number | null;
  rate_bps: number | null;
  eta_s: number | null;
  error: string | null;
  /** Which CLI ran: `hf`, or `huggingface-cli` where `hf` is missing. */
  cli: 'hf' | 'huggingface-cli' | null;
}

/** `job.meta` of a job of kind `download`. */
export interface DownloadJobMeta {
  repo: string;
  nodes: Record<string, DownloadNodeProgress>;
  /** The job this one retries (only its failed nodes). */
  retry_of?: string;
}

export const DOWNLOAD_JOB_KIND = 'download';
