// API shapes shared by the server and the dashboard. Field names follow SPEC.md: they are a
// compatibility contract with apps that called the original system.
import type { DeepCheckResult } from './services-api.js';

import type { ServicesResponse } from './services-api.js';

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
  /** Set while a Wake-on-LAN is waiting for the node's SSH (ISO 8601); absent or null otherwise. */
  waking_since?: string | null;
  /** When the dashboard stops saying "waking" if the node has not answered by then. */
  waking_until?: string | null;
}

/** One way a magic packet went out (or did not): a peer Spark over SSH, or the control plane's broadcast. */
export interface WakeRoute {
  via: 'peer' | 'broadcast';
  /** The peer node's name, or `address:port` of the broadcast. */
  target: string;
}

/** `POST /api/spark/{name}/wake`. */
export interface WakeResponse {
  node: string;
  mac: string;
  /** Where the packet was sent from / to; at least one entry (otherwise the answer is a 503). */
  sent_via: WakeRoute[];
  /** What was tried and did not work, and why (a peer without python3, a refused broadcast). */
  failed: (WakeRoute & { error: string })[];
  waking_since: string;
  waking_until: string;
  message: string;
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

/**
 * What vLLM is doing, as far as the control plane knows. `idle` only when the head node answered
 * and nothing listens or nothing is loaded; a timeout is `unknown` and a node that is down is
 * `unreachable` — neither is ever taken for idle.
 */
export type VllmState = 'loaded' | 'idle' | 'loading' | 'unreachable' | 'unknown';

export interface VllmStatus extends ServiceStatus {
  state: VllmState;
  /** The loaded model id, or null when nothing is known to be loaded. */
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

/** GET /api/auth/session: whether admin login is on and this browser (or token) is signed in. */
export interface AuthSessionResponse {
  auth_enabled: boolean;
  authenticated: boolean;
  method: 'session' | 'token' | null;
  /** Set when login is off and the server listens beyond loopback: how to turn it on. */
  warning: string | null;
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
  | { type: 'node_state'; ts: string; data: { node: string; ok: boolean; error: string | null } }
  | { type: 'swap'; ts: string; data: SwapInfo }
  | { type: 'swap_complete' | 'swap_failed'; ts: string; data: SwapInfo }
  | { type: 'lock'; ts: string; data: LockResponse }
  | { type: 'schedules'; ts: string; data: ScheduleEntry[] }
  | { type: 'models'; ts: string; data: { changed: true } }
  | { type: 'job'; ts: string; data: JobInfo }
  | { type: 'connectivity'; ts: string; data: ConnectivityEvent }
  /** A deep health probe's result (SPEC §8), one per probe. */
  | { type: 'deep_health'; ts: string; data: DeepCheckResult }
  | { type: 'services'; ts: string; data: ServicesResponse }
  /** The last message before the server stops (restart, upgrade): the dashboard says so. */
  | { type: 'server_shutdown'; ts: string; data: { reason: string } };

export type EventType = EventEnvelope['type'];

/** The error body of every non-/v1 endpoint. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

// ─── Jobs (every long operation: swap, download, install, update) ─────────────────────────────

export type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export interface JobInfo {
  id: string;
  kind: string;
  state: JobState;
  phase: string;
  /** 0..1 when known. */
  progress: number | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
  /** Named locks the job holds while running (e.g. `gpu`, `node:spark1`). */
  locks: string[];
  meta: Record<string, unknown>;
  /** When the owner dismissed this ended job's notice (POST /api/jobs/{id}/dismiss); absent if never. */
  dismissed_at?: string;
}

/** `GET /api/jobs/{id}/stream` (SSE `data:` lines): log history first, then live lines and state changes. */
export type JobStreamEvent =
  | { type: 'log'; seq: number; ts: string; line: string }
  | { type: 'job'; job: JobInfo }
  | { type: 'end'; job: JobInfo };

// ─── Model catalog (SPEC §4) ───────────────────────────────────────────────────────────────────

export type ModelMode = 'solo' | 'cluster';

export interface Knobs {
  max_model_len: number | null;
  gpu_memory_utilization: number | null;
  fastsafetensors: boolean;
  prefix_caching: boolean;
  fp8_kv_cache: boolean;
}

export interface PreflightWarning {
  code: 'batched_tokens' | 'memory_fit' | 'nodes_unreachable' | 'other';
  message: string;
}

export interface CatalogModel {
  key: string;
  display_name: string;
  /** Hugging Face `org/name`, or null for a local-path model. */
  repo: string | null;
  /** Directory on the Spark for local/fine-tuned models, or null. */
  path: string | null;
  size_gb: number;
  mode: ModelMode;
  /** The bundled (or custom) args before knobs are applied. */
  vllm_args: string[];
  description: string | null;
  capabilities: string[];
  expected_ready_seconds: number;
  custom: boolean;
  /** Knob values stored by the owner (only the ones changed). */
  knobs: Partial<Knobs>;
  /** Knobs as the next swap will apply them (stored values over those read from the args). */
  effective_knobs: Knobs;
  /** Exactly the args the next swap passes after `vllm serve <model>`. */
  effective_args: string[];
  /** The id vLLM's /v1/models lists once loaded (the repo or the path). */
  served_model_name: string;
  loaded: boolean;
  /** Expected seconds to ready: from past swaps of this model when there are any. */
  expected_seconds: number;
  /** Static pre-flight warnings (known runtime failures, memory fit) shown on the card. */
  warnings: PreflightWarning[];
}

export interface ModelsResponse {
  models: CatalogModel[];
  /** Catalog key of the loaded model, if it is in the catalog. */
  loaded_key: string | null;
  loaded_model: string | null;
}

// ─── Swap (SPEC §5) ────────────────────────────────────────────────────────────────────────────

export type SwapState = 'pending' | 'stopping' | 'launching' | 'loading' | 'ready' | 'failed' | 'cancelled';

export interface SwapInfo {
  id: string;
  key: string;
  display_name: string;
  model: string;
  mode: ModelMode;
  nodes: string[];
  state: SwapState;
  phase: string;
  holder: string | null;
  error: string | null;
  previous_model: string | null;
  launch_cmd: string;
  started_at: string;
  finished_at: string | null;
  /** Milliseconds spent in each state so far. */
  timings: Partial<Record<SwapState, number>>;
  elapsed_s: number;
  expected_s: number;
  /** Elapsed vs expected, capped below 1 until ready. */
  progress: number;
  log_tail: string[];
}

export interface ValidateResponse {
  ok: boolean;
  /**
   * Where validation stopped: `static` (our checks), `placement` (weights missing on a node it runs
   * on), `launcher` (the launcher lacks what the swap needs), `argparse` (vLLM's parser),
   * `container` (could not run it).
   */
  stage: 'static' | 'placement' | 'launcher' | 'argparse' | 'container' | 'done';
  error: string | null;
  /** With stage `placement` / `launcher`: the refusal POST /api/swap would answer (code and details, e.g. `{repo, nodes}` to offer the download). */
  refusal?: { code: string; message: string; details?: Record<string, unknown> };
  cmd_args: string[];
  launch_cmd: string;
  warnings: PreflightWarning[];
}

export interface GpuLock {
  holder: string;
  reason: string | null;
  acquired_at: string;
  expires_at: string;
}

export interface LockResponse {
  locked: boolean;
  lock: GpuLock | null;
}

export interface ScheduleEntry {
  id: string;
  name: string;
  /** Cron expression or free text ("daily 02:00"), shown as is. */
  schedule: string;
  model_key: string | null;
  owner: string | null;
  description: string | null;
  next_run: string | null;
  created_at: string;
}

// ─── Connectivity log (SPEC §3) ────────────────────────────────────────────────────────────────

export type ConnectivityState = 'up' | 'down' | 'unknown';

/** `transition`: active polling saw the state change. `report`: someone said so; state is untouched. */
export type ConnectivityEventKind = 'transition' | 'report';

export interface ConnectivityEvent {
  id: number;
  ts: string;
  /** A node name, `vllm`, `parakeet`, `magpie`, or any service an external app reports on. */
  subject: string;
  kind: ConnectivityEventKind;
  ok: boolean;
  /** Who recorded it: `hardware` / `status` (polling), `gateway`, `deep-health`, or an app's name. */
  source: string;
  error: string | null;
  /** Latency the reporter measured, in milliseconds. */
  ms: number | null;
  /** Transitions only: how long the previous state lasted (null when it was unknown). */
  previous_state_s: number | null;
  /** What the reporter did, when that is not an error (a wake: which senders sent the packet). Absent on most events. */
  note?: string | null;
}

export interface ConnectivitySubject {
  state: ConnectivityState;
  last_change: string | null;
  since_s: number | null;
}

/** `GET /api/connectivity`. */
export interface ConnectivityResponse {
  subjects: Record<string, ConnectivitySubject>;
  /** Newest first. */
  events: ConnectivityEvent[];
}

/** One slice of the availability window: the share of its time each state held (they sum to 1). */
export interface AvailabilityBucket {
  /** ISO start; the slice ends where the next begins (the last one at `to`, possibly still running). */
  start: string;
  up: number;
  down: number;
  unknown: number;
}

export interface SubjectAvailability {
  /** Oldest first. */
  buckets: AvailabilityBucket[];
  /** Up time over the time with a known state, in percent; null when nothing was known. */
  up_pct: number | null;
  /** Transitions in the window, and how many of them went down. */
  transitions: number;
  outages: number;
}

/** `GET /api/connectivity/availability?hours=&bucket_min=`: per subject, from active polling only. */
export interface ConnectivityAvailabilityResponse {
  from: string;
  /** The server's now: the last bucket covers its time up to here. */
  to: string;
  hours: number;
  bucket_min: number;
  subjects: Record<string, SubjectAvailability>;
}

/** `POST /api/health-event`: `service` may also be spelled `subject` or (legacy) `spark`. */
export interface HealthEventBody {
  service?: string;
  subject?: string;
  spark?: string;
  ok: boolean;
  source?: string;
  error?: string;
  ms?: number;
}

// ─── Gateway (SPEC §9) ─────────────────────────────────────────────────────────────────────────

export interface GatewayClientStats {
  /** A configured API key's name, or `anonymous`. */
  name: string;
  requests: number;
  errors: number;
  /** Requests the client abandoned before the response ended. */
  aborted: number;
  last_request_at: string | null;
  /** Over the latest `window` requests; null while there are none. */
  latency_ms: { p50: number | null; p95: number | null; window: number };
}

/** `GET /api/gateway/stats`: key names only, never the keys. */
export interface GatewayStatsResponse {
  /** Whether `/v1` requires `Authorization: Bearer <key>`. */
  keys_required: boolean;
  /** When the counters started (server start). */
  since: string;
  window_size: number;
  clients: GatewayClientStats[];
}
