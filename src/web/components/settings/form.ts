// The settings form's state and its conversion to and from the config document. Inputs hold text
// (a port being typed is not a number yet); the document gets numbers where the text is one, and
// the text itself otherwise, so the server names the bad field instead of the page guessing.
// Secrets never enter the form: a secret is "set"/"not set" plus what the owner wants done to it.
import {
  FILE_SECRETS,
  SECRET_MASK,
  type FileSecret,
  type SettingsDocument,
  type SettingsProblem,
} from '../../../common/config-api.js';
import { hideSecrets, otherSectionsOf, parseSection, READ_ONLY_SECTIONS, sectionText } from './sections.js';

export interface NodeRow {
  id: number;
  name: string;
  host: string;
  user: string;
  ssh_port: string;
  qsfp_ip: string;
  mac: string;
}

export interface ServiceRow {
  id: number;
  name: string;
  node: string;
  port: string;
  container: string;
  kind: string;
  api: string;
}

export interface ApiKeyRow {
  id: number;
  name: string;
  /** A replacement typed by the owner; '' keeps the stored key (when there is one). */
  key: string;
  /** The server holds a key for this row (it came from GET, masked). */
  stored: boolean;
  always_redact: boolean;
}

export interface OtherSection {
  key: string;
  text: string;
  /** Set for sections this page does not edit (sent back as they came). */
  readOnly: boolean;
  original: unknown;
}

export interface SecretField {
  /** Set on the server now. */
  stored: boolean;
  action: 'keep' | 'replace' | 'clear';
  value: string;
}

export interface SettingsForm {
  cluster_name: string;
  nodes: NodeRow[];
  vllm: { nodes: string[]; port: string; container: string; launcher_dir: string };
  services: ServiceRow[];
  embeddings_url: string;
  qdrant_url: string;
  open_webui_url: string;
  matrix_bridge_user: string;
  api_keys: ApiKeyRow[];
  webhooks: { id: number; url: string }[];
  secrets: Record<FileSecret | 'metrics_token', SecretField>;
  /** Every other section as YAML text (hardware, gateway, audio…); read-only ones keep `original`. */
  other: OtherSection[];
  /** Keys of `secrets`/`metrics` this page does not edit, sent back as they came. */
  passthrough: { secrets: Record<string, unknown>; metrics: Record<string, unknown> };
}

let nextId = 1;
/** A row identity for React keys; never sent. */
export const newId = () => nextId++;

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

const secretField = (v: unknown): SecretField => ({
  stored: typeof v === 'string' && v !== '',
  action: 'keep',
  value: '',
});

function without(obj: unknown, ...keys: string[]): Record<string, unknown> {
  if (typeof obj !== 'object' || obj === null) return {};
  const rest: Record<string, unknown> = { ...(obj as Record<string, unknown>) };
  for (const k of keys) delete rest[k];
  return rest;
}

export function documentToForm(doc: SettingsDocument): SettingsForm {
  return {
    cluster_name: text(doc.cluster_name),
    nodes: (doc.nodes ?? []).map((n) => ({
      id: newId(),
      name: text(n.name),
      host: text(n.host),
      user: text(n.user),
      ssh_port: text(n.ssh_port),
      qsfp_ip: text(n.qsfp_ip),
      mac: text(n.mac),
    })),
    vllm: {
      nodes: [...(doc.vllm?.nodes ?? [])],
      port: text(doc.vllm?.port),
      container: text(doc.vllm?.container),
      launcher_dir: text(doc.vllm?.launcher_dir),
    },
    services: Object.entries(doc.services ?? {}).map(([name, s]) => ({
      id: newId(),
      name,
      node: text(s.node),
      port: text(s.port),
      container: text(s.container),
      kind: text(s.kind),
      api: text(s.api),
    })),
    embeddings_url: text(doc.embeddings_url),
    qdrant_url: text(doc.qdrant_url),
    open_webui_url: text(doc.open_webui_url),
    matrix_bridge_user: text(doc.matrix_bridge_user),
    api_keys: (doc.api_keys ?? []).map((k) => ({
      id: newId(),
      name: text(k.name),
      key: '',
      stored: k.key !== '',
      always_redact: k.always_redact === true,
    })),
    webhooks: (doc.webhooks ?? []).map((url) => ({ id: newId(), url })),
    secrets: {
      ngc_api_key: secretField(doc.secrets?.ngc_api_key),
      hf_token: secretField(doc.secrets?.hf_token),
      qdrant_api_key: secretField(doc.secrets?.qdrant_api_key),
      metrics_token: secretField(doc.metrics?.token),
    },
    other: otherSectionsOf(doc).map(([key, value]) => {
      const readOnly = READ_ONLY_SECTIONS.has(key);
      return { key, readOnly, original: value, text: sectionText(readOnly ? hideSecrets(value) : value) };
    }),
    passthrough: {
      secrets: without(doc.secrets, ...FILE_SECRETS),
      metrics: without(doc.metrics, 'token'),
    },
  };
}

/** A number where the text is a whole number, the trimmed text otherwise, nothing when blank. */
export function numberOrText(s: string): number | string | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  return /^\d{1,9}$/.test(t) ? Number(t) : t;
}

const optional = (s: string): string | undefined => (s.trim() === '' ? undefined : s.trim());

/** What a secret field sends: the mask keeps it, a new value replaces it, null clears it. */
export function secretValue(f: SecretField): string | null {
  if (f.action === 'clear') return null;
  if (f.action === 'replace' && f.value !== '') return f.value;
  return f.stored ? SECRET_MASK : null;
}

/** Drops undefined members so the document is what the file would hold. */
function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export interface FormDocument {
  document: SettingsDocument;
  /** Problems the page can see without asking the server (then nothing is sent). */
  problems: SettingsProblem[];
}

export function formToDocument(form: SettingsForm): FormDocument {
  const problems: SettingsProblem[] = [];
  const services: NonNullable<SettingsDocument['services']> = {};
  form.services.forEach((s) => {
    const name = s.name.trim();
    if (name === '') problems.push({ path: serviceRowPath(s), message: 'needs a name' });
    else if (name in services) problems.push({ path: `services.${name}`, message: 'is named twice' });
    else
      services[name] = compact({
        node: s.node,
        port: numberOrText(s.port) as number,
        container: optional(s.container),
        kind: optional(s.kind),
        api: optional(s.api),
      });
  });
  const other: Record<string, unknown> = {};
  for (const section of form.other) {
    if (section.readOnly) {
      other[section.key] = section.original;
      continue;
    }
    const parsed = parseSection(section.text);
    if (parsed.ok) {
      if (parsed.value !== undefined) other[section.key] = parsed.value;
    } else problems.push({ path: section.key, message: parsed.message });
  }
  const secrets = { ...form.passthrough.secrets };
  for (const k of FILE_SECRETS) secrets[k] = secretValue(form.secrets[k]);
  const document: SettingsDocument = compact({
    cluster_name: optional(form.cluster_name),
    // The file needs at least one node when it names any; none means the simulated cluster.
    nodes:
      form.nodes.length === 0
        ? undefined
        : form.nodes.map((n) =>
            compact({
              name: n.name.trim(),
              host: n.host.trim(),
              user: n.user.trim(),
              ssh_port: numberOrText(n.ssh_port) as number | undefined,
              qsfp_ip: optional(n.qsfp_ip),
              mac: optional(n.mac),
            }),
          ),
    vllm: compact({
      nodes: form.vllm.nodes.length > 0 ? [...form.vllm.nodes] : undefined,
      port: numberOrText(form.vllm.port) as number | undefined,
      container: optional(form.vllm.container),
      launcher_dir: optional(form.vllm.launcher_dir),
    }),
    services,
    embeddings_url: optional(form.embeddings_url),
    qdrant_url: optional(form.qdrant_url),
    open_webui_url: optional(form.open_webui_url),
    matrix_bridge_user: optional(form.matrix_bridge_user),
    webhooks: form.webhooks.map((w) => w.url.trim()),
    api_keys: form.api_keys.map((k) =>
      compact({
        name: k.name.trim(),
        key: k.key !== '' ? k.key : k.stored ? SECRET_MASK : '',
        always_redact: k.always_redact ? true : undefined,
      }),
    ),
    secrets: secrets as SettingsDocument['secrets'],
    metrics: { ...form.passthrough.metrics, token: secretValue(form.secrets.metrics_token) },
    ...other,
  });
  return { document, problems };
}

/** A service row's dotted key: by its name, or by its row id while it has none. */
export const serviceRowPath = (s: Pick<ServiceRow, 'id' | 'name'>) =>
  `services.${s.name.trim() || `#${s.id}`}`;
