// "Configure Sparks" ↔ the server's config file (/data/config.yaml, the shape of
// src/server/config/schema.ts). Pure, so it is unit-tested without StartOS.
//
// Secrets are write-only, as on the settings page: the form is prefilled with every setting except
// secrets; a blank secret keeps the saved one, a value replaces it, and "Remove saved secrets"
// clears it. API keys are matched by name: a blank key keeps that name's saved key.
// Sections the form does not show (hardware, gateway, audio, auth…) are kept as written.

/** The form's values (the action's input spec produces exactly this shape). */
export interface SparksForm {
  cluster_name: string | null;
  nodes: {
    name: string;
    host: string;
    user: string;
    ssh_port: number | null;
    qsfp_ip: string | null;
    mac: string | null;
  }[];
  vllm: { nodes: string[]; port: number | null; container: string | null; launcher_dir: string | null };
  parakeet: ServiceForm;
  magpie: ServiceForm;
  embeddings_url: string | null;
  qdrant_url: string | null;
  open_webui_url: string | null;
  matrix_bridge_user: string | null;
  webhooks: string[];
  api_keys: { name: string; key: string | null; always_redact: boolean }[];
  ngc_api_key: string | null;
  hf_token: string | null;
  qdrant_api_key: string | null;
  metrics_token: string | null;
  remove_secrets: SecretName[];
}

export interface ServiceForm {
  node: string | null;
  port: number | null;
  container: string | null;
}

export type SecretName = 'ngc_api_key' | 'hf_token' | 'qdrant_api_key' | 'metrics_token';

type Doc = Record<string, unknown>;
type DeepPartialForm = Partial<Omit<SparksForm, 'vllm' | 'parakeet' | 'magpie'>> & {
  vllm?: Partial<SparksForm['vllm']>;
  parakeet?: Partial<ServiceForm>;
  magpie?: Partial<ServiceForm>;
};

const SERVICE_DEFAULTS = {
  parakeet: { kind: 'asr', port: 8000 },
  magpie: { kind: 'tts', port: 9000 },
} as const;

const isObj = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const blank = (v: string | null | undefined): v is null | undefined | '' => v == null || v.trim() === '';
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** Sets `key` to `value`, or removes it when the form left it empty (the server's default applies). */
function put(target: Doc, key: string, value: unknown): void {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0))
    delete target[key];
  else target[key] = value;
}

/** The form's starting values from the file: everything but secrets (write-only). */
export function prefillFromDocument(doc: Doc): DeepPartialForm {
  const vllm = isObj(doc.vllm) ? doc.vllm : {};
  const services = isObj(doc.services) ? doc.services : {};
  const service = (name: string): Partial<ServiceForm> => {
    const s = isObj(services[name]) ? services[name] : {};
    return { node: text(s.node), port: num(s.port), container: text(s.container) };
  };
  return {
    cluster_name: text(doc.cluster_name),
    nodes: (Array.isArray(doc.nodes) ? doc.nodes.filter(isObj) : []).map((n) => ({
      name: text(n.name) ?? '',
      host: text(n.host) ?? '',
      user: text(n.user) ?? '',
      ssh_port: num(n.ssh_port),
      qsfp_ip: text(n.qsfp_ip),
      mac: text(n.mac),
    })),
    vllm: {
      nodes: Array.isArray(vllm.nodes) ? vllm.nodes.filter((n): n is string => typeof n === 'string') : [],
      port: num(vllm.port),
      container: text(vllm.container),
      launcher_dir: text(vllm.launcher_dir),
    },
    parakeet: service('parakeet'),
    magpie: service('magpie'),
    embeddings_url: text(doc.embeddings_url),
    qdrant_url: text(doc.qdrant_url),
    open_webui_url: text(doc.open_webui_url),
    matrix_bridge_user: text(doc.matrix_bridge_user),
    webhooks: Array.isArray(doc.webhooks)
      ? doc.webhooks.filter((u): u is string => typeof u === 'string')
      : [],
    api_keys: (Array.isArray(doc.api_keys) ? doc.api_keys.filter(isObj) : []).map((k) => ({
      name: text(k.name) ?? '',
      key: null,
      always_redact: k.always_redact === true,
    })),
  };
}

/** Problems the form's own field patterns cannot see (they span fields). */
export function formProblems(form: SparksForm, current: Doc): string[] {
  const problems: string[] = [];
  const names = form.nodes.map((n) => n.name);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) problems.push(`Sparks: the name "${n}" is used twice`);
  });
  const known = new Set(names);
  for (const n of form.vllm.nodes)
    if (!known.has(n)) problems.push(`vLLM nodes: "${n}" is not one of the Sparks listed above`);
  for (const svc of ['parakeet', 'magpie'] as const) {
    const node = form[svc].node;
    if (!blank(node) && !known.has(node))
      problems.push(`${svc}: "${node}" is not one of the Sparks listed above`);
  }
  const saved = savedApiKeys(current);
  const keyNames = form.api_keys.map((k) => k.name);
  form.api_keys.forEach((k, i) => {
    if (keyNames.indexOf(k.name) !== i) problems.push(`API keys: the name "${k.name}" is used twice`);
    if (blank(k.key) && !saved.has(k.name)) problems.push(`API keys: "${k.name}" is new and needs a key`);
  });
  return problems;
}

function savedApiKeys(doc: Doc): Map<string, string> {
  const saved = new Map<string, string>();
  for (const k of Array.isArray(doc.api_keys) ? doc.api_keys.filter(isObj) : [])
    if (typeof k.name === 'string' && typeof k.key === 'string') saved.set(k.name, k.key);
  return saved;
}

/** The new file document: `current` with the form's settings applied (secrets write-only). */
export function applyForm(current: Doc, form: SparksForm): Doc {
  const doc: Doc = structuredClone(current);
  put(doc, 'cluster_name', form.cluster_name);
  put(
    doc,
    'nodes',
    form.nodes.map((n) => {
      const node: Doc = { name: n.name, host: n.host, user: n.user };
      put(node, 'ssh_port', n.ssh_port);
      put(node, 'qsfp_ip', n.qsfp_ip);
      put(node, 'mac', n.mac);
      return node;
    }),
  );
  const vllm: Doc = isObj(doc.vllm) ? { ...doc.vllm } : {};
  put(vllm, 'nodes', form.vllm.nodes);
  put(vllm, 'port', form.vllm.port);
  put(vllm, 'container', form.vllm.container);
  put(vllm, 'launcher_dir', form.vllm.launcher_dir);
  put(doc, 'vllm', Object.keys(vllm).length > 0 ? vllm : null);

  const services: Doc = isObj(doc.services) ? { ...doc.services } : {};
  for (const name of ['parakeet', 'magpie'] as const) {
    const f = form[name];
    if (blank(f.node)) {
      delete services[name]; // not placed: the service is not used
      continue;
    }
    const previous = isObj(services[name]) ? services[name] : {};
    const svc: Doc = { ...previous, node: f.node, kind: previous.kind ?? SERVICE_DEFAULTS[name].kind };
    svc.port = f.port ?? previous.port ?? SERVICE_DEFAULTS[name].port;
    put(svc, 'container', f.container);
    services[name] = svc;
  }
  put(doc, 'services', Object.keys(services).length > 0 ? services : null);

  put(doc, 'embeddings_url', form.embeddings_url);
  put(doc, 'qdrant_url', form.qdrant_url);
  put(doc, 'open_webui_url', form.open_webui_url);
  put(doc, 'matrix_bridge_user', form.matrix_bridge_user);
  put(doc, 'webhooks', form.webhooks);

  const saved = savedApiKeys(current);
  put(
    doc,
    'api_keys',
    form.api_keys.map((k) => {
      const key: Doc = { name: k.name, key: blank(k.key) ? saved.get(k.name) : k.key };
      if (k.always_redact) key.always_redact = true;
      return key;
    }),
  );

  const remove = new Set(form.remove_secrets);
  for (const name of ['ngc_api_key', 'hf_token', 'qdrant_api_key'] as const) {
    if (remove.has(name)) delete doc[name];
    else if (!blank(form[name])) doc[name] = form[name];
  }
  const metrics: Doc = isObj(doc.metrics) ? { ...doc.metrics } : {};
  if (remove.has('metrics_token')) delete metrics.token;
  else if (!blank(form.metrics_token)) metrics.token = form.metrics_token;
  put(doc, 'metrics', Object.keys(metrics).length > 0 ? metrics : null);
  return doc;
}
