// The settings page's API (SPEC §1, issue 14): `GET /api/config`, `PUT /api/config`,
// `POST /api/restart`. Shared by the server module (src/server/modules/settings/) and the
// dashboard's settings page (src/web/components/settings/).
//
// The document is the config file's own shape (the YAML the owner could write by hand): nodes as a
// list, services as a map keyed by name, and so on — never the resolved AppConfig. Secrets are
// write-only: GET answers SECRET_MASK where one is set (null where none is), and a PUT that sends
// SECRET_MASK back keeps the stored value; any other string replaces it; null or "" clears it.

/** Stands in for a secret that is set. Sent back unchanged, it means "keep the current value". */
export const SECRET_MASK = '••••••••';

/**
 * The secrets the config file keeps at its top level (as the environment names them) and the
 * document groups under `secrets`. One list, so the server's masking and the page's form agree.
 */
export const FILE_SECRETS = ['ngc_api_key', 'hf_token', 'qdrant_api_key'] as const;
export type FileSecret = (typeof FILE_SECRETS)[number];

/**
 * Top-level keys the settings page edits field by field; every other section of the document is
 * shown and saved as written (the server keeps it, the page edits it as YAML).
 */
export const FIELD_SECTIONS: readonly string[] = [
  'cluster_name',
  'nodes',
  'vllm',
  'services',
  'embeddings_url',
  'qdrant_url',
  'open_webui_url',
  'matrix_bridge_user',
  'webhooks',
  'api_keys',
  'secrets',
  'metrics',
];

/** The config file's document (YAML shape); every key optional, as in the file. */
export interface SettingsDocument {
  cluster_name?: string;
  nodes?: {
    name: string;
    host: string;
    user: string;
    ssh_port?: number;
    qsfp_ip?: string | null;
    mac?: string | null;
  }[];
  vllm?: { nodes?: string[]; port?: number; container?: string; launcher_dir?: string };
  services?: Record<string, { node: string; port: number; container?: string; kind?: string; api?: string }>;
  embeddings_url?: string | null;
  qdrant_url?: string | null;
  open_webui_url?: string | null;
  matrix_bridge_user?: string | null;
  webhooks?: string[];
  /** `key` is SECRET_MASK in GET answers. */
  api_keys?: { name: string; key: string; always_redact?: boolean }[];
  /** Each value SECRET_MASK (set) or null (unset) in GET answers. */
  secrets?: { [K in FileSecret]?: string | null };
  metrics?: { token?: string | null };
  /** Every other section of the file (hardware, gateway, audio, deep_health, redaction, wake, auth…) as written. */
  [section: string]: unknown;
}

/** One problem, beside its field: `path` is the dotted key (`nodes.1.host`) the form field uses. */
export interface SettingsProblem {
  path: string;
  message: string;
}

export interface ConfigView {
  /** The settings in effect now (file merged over defaults), secrets masked. */
  settings: SettingsDocument;
  /**
   * Keys set by environment variables: dotted key (or key prefix, e.g. `nodes`) → variable name.
   * The page shows these read-only ("set by SPARK1_HOST"); a PUT cannot change them.
   */
  env: Record<string, string>;
  file: {
    path: string;
    /** `invalid`: the file on disk no longer parses/validates — the running config is kept. */
    state: 'ok' | 'missing' | 'invalid';
    problems: SettingsProblem[];
  };
  /** True when a saved change is waiting for a restart to take effect. */
  restart_pending: boolean;
  /**
   * The config file's revision (a hash of its inode, size and times; "none" without a file). A PUT
   * that sends it back is refused with 409 CONFIG_CHANGED when the file changed since. Also the
   * GET's ETag.
   */
  revision: string;
  /** True while the built-in simulated cluster runs (no nodes configured). */
  simulated: boolean;
}

/** PUT /api/config body. */
export interface ConfigUpdate {
  settings: SettingsDocument;
}

/** PUT /api/config 200 answer. A refused document answers 400 `CONFIG_INVALID` + `problems`. */
export interface ConfigSaved {
  /** Dotted top-level keys whose value changed (`nodes`, `vllm.port`, `api_keys`). */
  changed: string[];
  /** Changed keys that took effect at once. */
  applied: string[];
  /** True when some change waits for a restart (POST /api/restart). */
  restart_required: boolean;
  /** Where the previous file was kept (null when there was none). */
  backup: string | null;
  /** The saved file's revision: the base for the next save. */
  revision: string;
}

/** 400 body of a refused PUT: `{error: {code: 'CONFIG_INVALID', message, problems}}`. */
export interface ConfigInvalidError {
  error: { code: 'CONFIG_INVALID'; message: string; problems: SettingsProblem[] };
}

/** POST /api/restart 202 answer: the server restarts in place and the dashboard reconnects. */
export interface RestartAccepted {
  restarting: true;
}
