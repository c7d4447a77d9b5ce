// The resolved configuration every module receives. Built once at start by load.ts.
import type { SpeechApi } from '../../common/services-api.js';

export interface NodeConfig {
  name: string;
  host: string;
  user: string;
  ssh_port: number;
  qsfp_ip: string | null;
  mac: string | null;
}

export interface ServiceConfig {
  name: string;
  node: string;
  port: number;
  container: string;
  kind: 'asr' | 'tts' | 'embeddings' | 'bot' | 'other';
  /**
   * Speech services (asr/tts): which API the container speaks — the seed's Parakeet app or an
   * NVIDIA NIM. Resolved: asr defaults to parakeet-app, tts to nim; absent for other kinds.
   */
  api?: SpeechApi;
}

export interface AppConfig {
  cluster_name: string;
  port: number;
  host: string;
  data_dir: string;
  config_file: string;
  /** True when no nodes are configured: main.ts starts the built-in simulated cluster. */
  simulated: boolean;
  nodes: NodeConfig[];
  vllm: { nodes: string[]; port: number; container: string; launcher_dir: string };
  services: Record<string, ServiceConfig>;
  /** Speech-model patches (SPEC §7): the directory inside the Parakeet container that holds its app. */
  speech_models: { app_dir: string };
  embeddings_url: string | null;
  qdrant_url: string | null;
  open_webui_url: string | null;
  matrix_bridge_user: string | null;
  /** Where the matrix-bridge bot runs: node null = the first non-head node (or the only one). */
  matrix_bridge: { node: string | null; container: string; branch: string };
  hardware: { interval_s: number; history_hours: number };
  /** Wake-on-LAN (SPEC §3): the control plane's own broadcast (peers on the LAN send first). */
  wake: { broadcast_address: string; ports: number[] };
  /** URLs that receive swap_complete / swap_failed events. */
  webhooks: string[];
  /** Gateway keys (secrets): when any is set, /v1 requires `Authorization: Bearer <key>`. */
  api_keys: { name: string; key: string; always_redact?: boolean }[];
  /** The redaction gateway (SPEC §11): vault retention, text limit, detectors' names and patterns. */
  redaction: {
    retention_hours: number;
    max_text_kb: number;
    names: string[];
    /** Read at start (a missing file stops start-up); null: none. */
    names_file: string | null;
    patterns: { name: string; regex: string; flags?: string }[];
    default_region: string | null;
  };
  gateway: {
    max_body_mb: number;
    max_upload_mb: number;
    swap_on_request: boolean;
    swap_on_request_timeout_s: number;
    /** Old consumers: every Magpie voice also listed as a model in GET /v1/models. */
    list_voices_in_models: boolean;
    /** OpenAI voice names (alloy, …) → Magpie voices, over the shipped defaults. */
    voice_map: Record<string, string>;
    /** The ffmpeg speech formats use; null: `ffmpeg` on PATH. */
    ffmpeg_path: string | null;
  };
  /** The audio pipeline (SPEC §10): long audio, GPU cap, speaker clustering and naming, results. */
  audio: {
    long_audio_threshold_s: number;
    chunk_s: number;
    chunk_overlap_s: number;
    parallel_chunks: number;
    gpu_concurrency: number;
    max_long_runs: number;
    cluster_distance_threshold: number;
    speaker_match_threshold: number;
    max_upload_mb: number;
    result_retention_h: number;
  };
  /** Deep health probes and safe auto-restart (SPEC §8). */
  deep_health: {
    interval_s: number;
    timeout_s: number;
    auto_restart: boolean;
    max_restarts: number;
    window_min: number;
    cooldown_s: number;
    startup_grace_s: number;
  };
  /** Launcher updates (SPEC §13): how often spark-vllm-docker is checked for new commits. */
  updates: { check_interval_minutes: number };
  /** Secrets (never logged or shown); qdrant_api_key is sent to Qdrant as its `api-key` header. */
  secrets: { ngc_api_key: string | null; hf_token: string | null; qdrant_api_key: string | null };
  /** Host names the server answers to besides IP literals, localhost and its own name (`*.x` wildcards). */
  allowed_hosts: string[];
  /** Normalized origins (scheme://host[:port]) allowed to call control routes cross-origin. */
  trusted_origins: string[];
  /**
   * Prometheus /metrics: a bearer token (secret) it requires when set; without one, /metrics
   * follows admin auth (an admin credential when auth is on, open when it is off).
   */
  metrics: { token: string | null };
  /** Optional admin auth: on when a password hash or any admin token is configured. */
  auth: {
    admin_password_hash: string | null;
    admin_tokens: { name: string; token: string }[];
    session_hours: number;
  };
}

/** What the settings (file, environment, dashboard) decide; the rest of AppConfig is the server's own. */
export type Settings = Omit<AppConfig, 'port' | 'host' | 'data_dir' | 'config_file' | 'simulated'>;
