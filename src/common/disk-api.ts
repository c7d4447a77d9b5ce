// Disk inventory and guarded delete (SPEC §6, issue 12 items 2–3): API shapes shared by the server
// and the dashboard. Sizes are apparent sizes in bytes (what `du -sb` says), never block counts.

/** What one node holds for one model: `unknown` when the node could not be asked (never "missing"). */
export type DiskPresence = 'present' | 'incomplete' | 'missing' | 'unknown';

export interface ModelDiskNode {
  node: string;
  state: DiskPresence;
  /** null while unknown. */
  present: boolean | null;
  bytes: number | null;
  /** No `.incomplete` blob and at least one snapshot file (path models: a config.json). null while unknown. */
  complete: boolean | null;
  /** Whether the model runs on this node (cluster models: every vLLM node; solo: the head). */
  needed: boolean;
  /** Why the state is unknown (the node's SSH error, a scan that failed). */
  error: string | null;
  checked_at: string | null;
}

export interface ModelDiskStatus {
  key: string;
  repo: string | null;
  path: string | null;
  nodes: ModelDiskNode[];
}

/** `GET /api/models/disk-status` */
export interface DiskStatusResponse {
  models: ModelDiskStatus[];
  checked_at: string | null;
}

export interface FsSpace {
  /** Where the filesystem is mounted. */
  mount: string;
  total_bytes: number;
  free_bytes: number;
}

export interface CachedRepo {
  /** `org/name`. */
  repo: string;
  bytes: number;
  complete: boolean;
  /** Catalog entries that name this repo (empty: uncatalogued). */
  catalog_keys: string[];
}

export interface NodeDisk {
  node: string;
  /** false: the node could not be asked; `repos` is then empty and means nothing. */
  ok: boolean;
  error: string | null;
  checked_at: string | null;
  /** Free space of `/`. */
  root: FsSpace | null;
  /** Free space of the filesystem holding `~/.cache/huggingface/hub`. */
  hf_cache: FsSpace | null;
  repos: CachedRepo[];
  /** Entries in the cache directory whose names are not `models--ORG--NAME` (not listed, never deleted). */
  skipped: number;
}

/** `GET /api/disk` */
export interface DiskResponse {
  nodes: NodeDisk[];
  checked_at: string | null;
}

export interface DiskDeleteNodeResult {
  node: string;
  /** Whether this node's part succeeded (absent counts as success with 0 bytes). */
  ok: boolean;
  /** false: there was nothing to delete on this node. */
  existed: boolean;
  freed_bytes: number;
  error: string | null;
}

/** `DELETE /api/models/{key}/disk` and `DELETE /api/disk/{node}/{org}/{name}` */
export interface DiskDeleteResponse {
  repo: string;
  job_id: string;
  nodes: DiskDeleteNodeResult[];
  freed_bytes: number;
}
