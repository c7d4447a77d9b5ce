// The resolved configuration every module receives. Built once at start by load.ts.

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
  embeddings_url: string | null;
  qdrant_url: string | null;
  open_webui_url: string | null;
  matrix_bridge_user: string | null;
  hardware: { interval_s: number; history_hours: number };
  /** URLs that receive swap_complete / swap_failed events. */
  webhooks: string[];
  /** Gateway keys (secrets): when any is set, /v1 requires `Authorization: Bearer <key>`. */
  api_keys: { name: string; key: string }[];
  gateway: {
    max_body_mb: number;
    max_upload_mb: number;
    swap_on_request: boolean;
    swap_on_request_timeout_s: number;
  };
  secrets: { ngc_api_key: string | null; hf_token: string | null };
}
