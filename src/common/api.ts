// API shapes shared by the server and the dashboard. Field names follow SPEC.md: they are a
// compatibility contract with apps that called the original system.

/** Why a node's probe failed, so the dashboard can say what to check. */
export type NodeErrorKind = 'unreachable' | 'timeout' | 'auth_failed' | 'host_key_changed' | 'probe_failed';

export interface DiskUsage {
  path: string;
  total: number;
  used: number;
  free: number;
}

export interface GpuInfo {
  name: string;
  util_pct: number | null;
  temp_c: number | null;
  power_w: number | null;
}

/** One node's latest hardware sample (`GET /api/hardware` → `{ [node name]: NodeHardware }`). */
export interface NodeHardware {
  name: string;
  host: string;
  ok: boolean;
  error: string | null;
  error_kind: NodeErrorKind | null;
  hostname: string | null;
  uptime_s: number | null;
  load1: number | null;
  load5: number | null;
  load15: number | null;
  cores: number | null;
  ram_total: number | null;
  ram_used: number | null;
  ram_available: number | null;
  /** Root filesystem. */
  disk_total: number | null;
  disk_used: number | null;
  disk_free: number | null;
  /** The filesystem holding ~/.cache/huggingface (often the same as `/`). */
  hf_cache: DiskUsage | null;
  gpu: GpuInfo | null;
  /** Sum of per-process compute memory (bytes) from `nvidia-smi --query-compute-apps`. */
  gpu_mem_used: number | null;
  /** What the GPU memory fraction is computed against: the GPU's own total, or system RAM on GB10. */
  gpu_mem_total: number | null;
  /** True on GB10, where nvidia-smi prints [N/A] for memory totals. */
  gpu_unified_memory: boolean;
  mac: string | null;
  wg_iface: string | null;
  wg_ip: string | null;
  /** When this sample was taken (ISO 8601) and its age in seconds at answer time. */
  sampled_at: string | null;
  age_s: number | null;
}

export type HardwareSnapshot = Record<string, NodeHardware>;

export interface HardwareHistoryPoint {
  ts: number; // epoch ms
  ok: boolean;
  load1: number | null;
  cores: number | null;
  ram_used: number | null;
  ram_total: number | null;
  gpu_mem_used: number | null;
  util_pct: number | null;
  temp_c: number | null;
  power_w: number | null;
  disk_used: number | null;
  disk_total: number | null;
}

export interface HardwareHistory {
  node: string;
  minutes: number;
  samples: HardwareHistoryPoint[];
}

export interface ServiceStatus {
  ok: boolean;
  base_url: string | null;
  note: string | null;
  error: string | null;
}

export interface VllmStatus extends ServiceStatus {
  /** The loaded model id, or null when idle. */
  model: string | null;
  models: string[];
}

export interface StatusResponse {
  vllm: VllmStatus;
  parakeet: ServiceStatus;
  magpie: ServiceStatus;
  swap: unknown | null;
  checked_at: string | null;
}

export interface EndpointInfo {
  base_url: string | null;
  model: string | null;
  ready: boolean;
}

export interface EndpointsResponse {
  vllm: EndpointInfo;
  parakeet: EndpointInfo;
  magpie: EndpointInfo;
}

export interface MetaNode {
  name: string;
  host: string;
  user: string;
  roles: string[];
}

export interface MetaResponse {
  name: string;
  version: string;
  simulated: boolean;
  open_webui_url: string | null;
  nodes: MetaNode[];
}

export interface PublicKeyCommand {
  node: string;
  host: string;
  user: string;
  command: string;
}

export interface PublicKeyResponse {
  public_key: string;
  fingerprint: string;
  commands: PublicKeyCommand[];
}

/** Every message on `GET /api/events` is one of these envelopes (SSE `data:` line). */
export type EventEnvelope =
  | { type: 'hardware'; ts: string; data: HardwareSnapshot }
  | { type: 'status'; ts: string; data: StatusResponse }
  | { type: 'node_state'; ts: string; data: { node: string; ok: boolean; error: string | null } };

export type EventType = EventEnvelope['type'];

/** The error body of every non-/v1 endpoint. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}
