// The one validation for settings, whatever their source: the config file and the environment
// (merged by load.ts) and, later, the dashboard's settings page. Every problem is reported at
// once: schema, field rules, topology, keys and security are all checked even when another part
// is already wrong, so the owner fixes everything in one go.
import Value from 'typebox/value';
import { ConfigFileSchema, type ConfigFile } from './schema.js';
import { FIELD_RULES, valuesAt } from './rules.js';
import { checkTopology, resolveTopology } from './topology.js';
import { checkApiKeys, checkSecurity, resolveSecurity } from './security.js';
import { checkRedaction, resolveRedaction } from './redaction.js';
import type { Problem } from './problems.js';
import type { Settings } from './types.js';
import { validateMac, validatePath } from '../platform/remote/validators.js';

/** The seed's Parakeet image keeps its app (main.py, the diarizer overlay) here. */
export const DEFAULT_PARAKEET_APP_DIR = '/opt/parakeet/app';

export type SettingsResult = { ok: true; config: Settings } | { ok: false; problems: Problem[] };

const dotted = (instancePath: string) => instancePath.slice(1).replaceAll('/', '.');

/** Schema problems, each at its key; an unknown key is reported at the key itself. */
function schemaProblems(candidate: unknown): Problem[] {
  const problems: Problem[] = [];
  for (const e of Value.Errors(ConfigFileSchema, candidate)) {
    // additionalProperties yields one error per unknown key (keyword "boolean", at the key) and
    // one summary at the parent: keep the precise one.
    if (e.keyword === 'additionalProperties') continue;
    const path = dotted(e.instancePath) || '(top level)';
    if (e.keyword === 'boolean') problems.push({ path, message: 'is not a known setting' });
    else problems.push({ path, message: e.message });
  }
  return problems;
}

/** Field rules; where a rule speaks, its message replaces the schema's for that key. */
function withFieldRules(candidate: unknown, schema: Problem[]): Problem[] {
  const byRule = new Map<string, string>();
  for (const [pattern, rule] of FIELD_RULES)
    for (const [path, value] of valuesAt(candidate, pattern)) {
      const message = rule(value);
      if (message !== null) byRule.set(path, message);
    }
  const reported = new Set<string>();
  const out: Problem[] = [];
  for (const p of schema) {
    const message = byRule.get(p.path);
    if (message === undefined) out.push(p);
    else if (!reported.has(p.path)) {
      out.push({ path: p.path, message });
      reported.add(p.path);
    }
  }
  // A rule stricter than the schema (e.g. a host name label rule) still gets its say.
  for (const [path, message] of byRule) if (!reported.has(path)) out.push({ path, message });
  return out;
}

export function validateSettings(candidate: unknown): SettingsResult {
  const problems = withFieldRules(candidate, schemaProblems(candidate));
  checkTopology(candidate, problems);
  checkApiKeys(candidate, problems);
  checkSecurity(candidate, problems);
  checkRedaction(candidate, problems);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config: resolveSettings(candidate as ConfigFile) };
}

function resolveSettings(s: ConfigFile): Settings {
  const topology = resolveTopology(s);
  return {
    cluster_name: s.cluster_name ?? 'Spark Control',
    ...topology,
    nodes: topology.nodes.map((n) => ({ ...n, mac: n.mac === null ? null : validateMac(n.mac) })),
    speech_models: {
      app_dir: validatePath(
        s.speech_models?.app_dir?.trim() || DEFAULT_PARAKEET_APP_DIR,
        'speech_models.app_dir',
      ),
    },
    embeddings_url: s.embeddings_url?.trim() || null,
    qdrant_url: s.qdrant_url?.trim() || null,
    open_webui_url: s.open_webui_url?.trim() || null,
    matrix_bridge_user: s.matrix_bridge_user?.trim() || null,
    matrix_bridge: {
      node: s.matrix_bridge?.node ?? null,
      container: s.matrix_bridge?.container?.trim() || 'matrix-bridge',
      branch: s.matrix_bridge?.branch ?? 'main',
    },
    hardware: {
      interval_s: s.hardware?.interval_s ?? 5,
      history_hours: s.hardware?.history_hours ?? 24,
    },
    wake: {
      broadcast_address: s.wake?.broadcast_address?.trim() || '255.255.255.255',
      ports: s.wake?.ports ?? [9, 7],
    },
    webhooks: (s.webhooks ?? []).map((u) => u.trim()),
    api_keys: (s.api_keys ?? []).map((k) => ({
      name: k.name,
      key: k.key,
      always_redact: k.always_redact ?? false,
    })),
    redaction: resolveRedaction(s),
    gateway: {
      max_body_mb: s.gateway?.max_body_mb ?? 16,
      max_upload_mb: s.gateway?.max_upload_mb ?? 200,
      swap_on_request: s.gateway?.swap_on_request ?? false,
      swap_on_request_timeout_s: s.gateway?.swap_on_request_timeout_s ?? 900,
      list_voices_in_models: s.gateway?.list_voices_in_models ?? false,
      voice_map: { ...s.gateway?.voice_map },
      ffmpeg_path: s.gateway?.ffmpeg_path?.trim() || null,
    },
    audio: {
      long_audio_threshold_s: s.audio?.long_audio_threshold_s ?? 600,
      chunk_s: s.audio?.chunk_s ?? 300,
      chunk_overlap_s: s.audio?.chunk_overlap_s ?? 5,
      parallel_chunks: s.audio?.parallel_chunks ?? 2,
      gpu_concurrency: s.audio?.gpu_concurrency ?? 2,
      max_long_runs: s.audio?.max_long_runs ?? 4,
      cluster_distance_threshold: s.audio?.cluster_distance_threshold ?? 0.7,
      speaker_match_threshold: s.audio?.speaker_match_threshold ?? 0.75,
      max_upload_mb: s.audio?.max_upload_mb ?? 1024,
      result_retention_h: s.audio?.result_retention_h ?? 72,
    },
    deep_health: {
      interval_s: s.deep_health?.interval_s ?? 300,
      timeout_s: s.deep_health?.timeout_s ?? 20,
      auto_restart: s.deep_health?.auto_restart ?? true,
      max_restarts: s.deep_health?.max_restarts ?? 3,
      window_min: s.deep_health?.window_min ?? 30,
      cooldown_s: s.deep_health?.cooldown_s ?? 120,
      startup_grace_s: s.deep_health?.startup_grace_s ?? 60,
    },
    updates: { check_interval_minutes: s.updates?.check_interval_minutes ?? 30 },
    secrets: {
      ngc_api_key: s.ngc_api_key ?? null,
      hf_token: s.hf_token ?? null,
      qdrant_api_key: s.qdrant_api_key ?? null,
    },
    metrics: { token: s.metrics?.token ?? null },
    ...resolveSecurity(s),
  };
}
