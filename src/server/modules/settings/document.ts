// The settings page's document (src/common/config-api.ts) and the config file's own shape, side
// by side. The two differ in one place only: the page groups the secrets under `secrets`, the
// file keeps FILE_SECRETS (`ngc_api_key`, `hf_token`, `qdrant_api_key`) at its top level.
import { FIELD_SECTIONS, FILE_SECRETS, type SettingsDocument } from '../../../common/config-api.js';
import type { Settings } from '../../config/types.js';

type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sections the page edits field by field; every other section is shown and saved as written. */
const SPEC_SECTIONS = new Set([...FIELD_SECTIONS, ...FILE_SECRETS]);

/** A file key's place in the page's document (`ngc_api_key` → `secrets.ngc_api_key`). */
export function docPath(filePath: string): string {
  const [head, ...rest] = filePath.split('.');
  return (FILE_SECRETS as readonly string[]).includes(head!)
    ? ['secrets', head, ...rest].join('.')
    : filePath;
}

/** The file's document as the page sees it: secrets moved under `secrets`. */
export function fileToDoc(file: Obj): SettingsDocument {
  const doc: Obj = structuredClone(file);
  const secrets: Obj = {};
  for (const k of FILE_SECRETS)
    if (k in doc) {
      secrets[k] = doc[k];
      delete doc[k];
    }
  if (Object.keys(secrets).length > 0) doc.secrets = secrets;
  return doc as SettingsDocument;
}

/** The page's document as the file stores it: secrets back at the top level, cleared ones left out. */
export function docToFile(doc: SettingsDocument): Obj {
  const file: Obj = structuredClone(doc) as Obj;
  const secrets = file.secrets;
  delete file.secrets;
  if (isObj(secrets))
    for (const k of FILE_SECRETS) if (secrets[k] !== undefined && secrets[k] !== null) file[k] = secrets[k];
  return file;
}

/**
 * Null (and "" where the page's type allows null) means "not set": dropped before validation, as
 * the file has no way to say null. Nested objects are cleaned too; lists keep their length so a
 * problem's index still points at the row the owner sees.
 */
export function dropCleared(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (isObj(v) ? dropCleared(v) : v));
  if (!isObj(value)) return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    if (v === '' && NULLABLE_TEXT.has(k)) continue;
    out[k] = isObj(v) || Array.isArray(v) ? dropCleared(v) : v;
  }
  return out;
}

/** Keys the page types `string | null`: an empty box means "not set". */
const NULLABLE_TEXT = new Set([
  'qsfp_ip',
  'mac',
  'embeddings_url',
  'qdrant_url',
  'open_webui_url',
  'ngc_api_key',
  'hf_token',
  'qdrant_api_key',
  'token',
  'admin_password_hash',
]);

/**
 * The settings in effect in the page's shape: the fields SPEC §1 names from the resolved settings
 * (so each shows its default), every other section as the file and environment wrote it.
 * Secrets are still in clear here; `maskDocument` hides them.
 */
export function projectSettings(settings: Settings, candidate: Obj): SettingsDocument {
  const rest: Obj = {};
  for (const [k, v] of Object.entries(candidate)) if (!SPEC_SECTIONS.has(k)) rest[k] = structuredClone(v);
  const services: SettingsDocument['services'] = {};
  for (const [name, s] of Object.entries(settings.services))
    services[name] = {
      node: s.node,
      port: s.port,
      container: s.container,
      kind: s.kind,
      ...(s.api ? { api: s.api } : {}),
    };
  return {
    ...rest,
    cluster_name: settings.cluster_name,
    nodes: settings.nodes.map((n) => ({ ...n })),
    vllm: {
      // No nodes (the simulated cluster): the file lists none either (the schema wants one when listed).
      ...(settings.vllm.nodes.length > 0 ? { nodes: [...settings.vllm.nodes] } : {}),
      port: settings.vllm.port,
      container: settings.vllm.container,
      launcher_dir: settings.vllm.launcher_dir,
    },
    services,
    embeddings_url: settings.embeddings_url,
    qdrant_url: settings.qdrant_url,
    open_webui_url: settings.open_webui_url,
    matrix_bridge_user: settings.matrix_bridge_user,
    webhooks: [...settings.webhooks],
    api_keys: settings.api_keys.map((k) => ({
      name: k.name,
      key: k.key,
      always_redact: k.always_redact ?? false,
    })),
    secrets: { ...settings.secrets },
    metrics: { token: settings.metrics.token },
  };
}
