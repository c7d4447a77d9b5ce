// API shapes of the always-on services (SPEC §7, §8): service cards, deep health and
// auto-restart, the NIM installer and the speech-model patches. Shared by server and dashboard.
import type { JobInfo } from './api.js';

export type ServiceKind = 'asr' | 'tts' | 'nim' | 'bot' | 'custom';

/** Docker's view of the container; `unknown` when its node did not answer (never a guess). */
export type DockerState = 'running' | 'exited' | 'restarting' | 'paused' | 'missing' | 'unknown';

/** The service's HTTP health endpoint; null for `bot` services (docker state only). */
export type HttpHealth = 'healthy' | 'unhealthy' | 'starting' | 'not configured' | 'unknown';

/** Which API a speech service speaks: the seed's custom Parakeet app or an NVIDIA NIM. */
export type SpeechApi = 'parakeet-app' | 'nim';

export type ServiceAction = 'start' | 'stop' | 'restart';

export interface DeepCheckResult {
  service: string;
  /** ok; failed (timeout, 5xx or a wedge signature); skipped (e.g. vLLM idle: informational). */
  outcome: 'ok' | 'failed' | 'skipped';
  at: string;
  latency_ms: number | null;
  /** The failure or skip reason (an excerpt of the body for failures), null when ok. */
  error: string | null;
  /** The wedge signature found in the answer (e.g. `CUBLAS_STATUS_EXECUTION_FAILED`), if any. */
  wedge_signature: string | null;
  /** HTTP status of the probe's answer; null on timeout or connection failure. */
  http_status: number | null;
  /** `restart`: the check that follows an automatic restart once the service's health answers. */
  trigger: 'schedule' | 'manual' | 'gateway' | 'startup' | 'restart';
}

export interface AutoRestartInfo {
  /** Restarts done by auto-restart in the last `window_min` minutes. */
  restarts_in_window: number;
  max_per_window: number;
  window_min: number;
  last_restart_at: string | null;
  /** True when the budget is spent: the card says auto-restart is paused and why. */
  paused: boolean;
  reason: string | null;
  /** When the next automatic restart could happen (cooldown or window), null when now. */
  next_allowed_at: string | null;
}

/**
 * The last job on a container when it ended `interrupted` (the control plane restarted during it)
 * or `failed` within the last day and nothing has run on that container since: what the card, the
 * patches panel and the NIM installs notice explain. Its whole log: GET /api/jobs/{id}/log.
 */
export interface LastJobInfo {
  id: string;
  kind: string;
  state: 'interrupted' | 'failed';
  /** What the job was, e.g. "The restart of parakeet", "The install of nvcr.io/… as asr-nim". */
  what: string;
  /** The step it was in when it ended. */
  phase: string;
  ended_at: string;
  /** Why it ended: the job's error. */
  reason: string;
  /** The state it left the container in and what to do now. */
  advice: string;
}

export interface ServiceInfo {
  name: string;
  kind: ServiceKind;
  node: string;
  host: string;
  base_url: string | null;
  container: string;
  /** Speech services only: which API it speaks. */
  api: SpeechApi | null;
  docker_state: DockerState;
  restart_count: number | null;
  started_at: string | null;
  health: HttpHealth | null;
  /** Loaded model(s) where the service says. */
  models: string[];
  deep_check: DeepCheckResult | null;
  auto_restart: AutoRestartInfo | null;
  /** Installed through the NIM installer (removable with DELETE /api/services/{name}). */
  custom: boolean;
  /** The running start/stop/restart/update job on this container, if any. */
  job: JobInfo | null;
  /** The last job on this container when it was interrupted or failed recently. */
  last_job: LastJobInfo | null;
  /** Why state is unknown (e.g. the node's SSH error), null otherwise. */
  error: string | null;
  checked_at: string | null;
}

export interface ServicesResponse {
  services: ServiceInfo[];
  checked_at: string | null;
}

export interface LoopbackResult {
  ok: boolean;
  at: string;
  phrase: string;
  heard: string | null;
  /** Share of the phrase's words heard back (0–1); passes at ≥ 0.6. */
  overlap: number | null;
  latency_ms: number | null;
  error: string | null;
}

export interface DeepHealthResponse {
  interval_s: number;
  services: Record<string, { last: DeepCheckResult | null; auto_restart: AutoRestartInfo }>;
  loopback: LoopbackResult | null;
}

export interface NimCatalogEntry {
  id: string;
  name: string;
  image: string;
  port: number;
  kind: ServiceKind;
  /** Default cache volume (host path or docker volume name) mounted at /opt/nim/.cache. */
  volume: string;
  /** Environment variable names the container needs besides NGC_API_KEY (values set at install). */
  env: Record<string, string>;
  health_path: string;
  runs_on_spark: boolean;
  notes: string;
}

export interface NimInstallRequest {
  image: string;
  container: string;
  port: number;
  volume: string;
  env?: Record<string, string>;
  node: string;
  register_service?: boolean;
  kind?: ServiceKind;
}

export type PatchFileStatus = 'in_sync' | 'drift' | 'missing';

export interface SpeechModelsResponse {
  service: string;
  container: string;
  node: string;
  files: { path: string; shipped_sha256: string; container_sha256: string | null; status: PatchFileStatus }[];
  models: string[];
  checked_at: string | null;
  error: string | null;
  /** The patch job (reapply, restore or restart) working on the container right now, if any. */
  job?: JobInfo | null;
  /** The last job on the container when it was interrupted or failed recently. */
  last_job?: LastJobInfo | null;
}

/**
 * A NIM install that was interrupted (or failed and left its container) and whose container is not
 * a service: GET /api/nim/installs. The owner registers it as a service or removes the container.
 */
export interface NimInstallNotice {
  job: LastJobInfo;
  image: string;
  container: string;
  node: string;
  port: number;
  /** Docker's view of the container now (`missing`: nothing was left; `unknown`: no answer). */
  container_state: DockerState;
}

export interface NimInstallsResponse {
  installs: NimInstallNotice[];
}

export interface PatchStep {
  step: string;
  ok: boolean;
  detail: string;
}

export interface ReapplyResult {
  ok: boolean;
  steps: PatchStep[];
}
