// The "+ Install NIM" form: filled from a catalog entry, checked before it is sent (the server
// checks again and its answer is shown as returned). Unit-tested in nimForm.test.ts.
import type { NimCatalogEntry, NimInstallRequest, ServiceKind } from '../../common/services-api.js';

export interface NimFormValues {
  image: string;
  container: string;
  port: string;
  volume: string;
  /** One `NAME=value` per line. */
  env: string;
  node: string;
  register: boolean;
  kind: ServiceKind;
}

export const EMPTY_NIM_FORM: NimFormValues = {
  image: '',
  container: '',
  port: '',
  volume: '',
  env: '',
  node: '',
  register: true,
  kind: 'nim',
};

/** A container name docker accepts that is also safe to show and send. */
const CONTAINER = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
/** registry/path:tag or @digest; no spaces or shell characters. */
const IMAGE = /^[a-z0-9][a-z0-9._/-]*(?::[A-Za-z0-9._-]+)?(?:@sha256:[a-f0-9]{64})?$/;
/** A docker volume name, or a host path: absolute or under the SSH user's home (`~/…`). */
const VOLUME = /^(?:~?\/[A-Za-z0-9._/-]*|[A-Za-z0-9][A-Za-z0-9_.-]*)$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The container name a catalog entry suggests: the image's last path segment without its tag. */
export function suggestedContainer(image: string): string {
  const last = image.split('/').pop() ?? '';
  const bare = last.split(/[:@]/)[0] ?? '';
  return bare.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
}

export function formFromCatalog(entry: NimCatalogEntry, node: string): NimFormValues {
  return {
    image: entry.image,
    container: suggestedContainer(entry.image),
    port: String(entry.port),
    volume: entry.volume,
    env: Object.entries(entry.env)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
    node,
    register: true,
    kind: entry.kind,
  };
}

/** NIMs that serve HTTP on the port named here must be published on that same port. */
const PORT_ENV = 'NIM_HTTP_API_PORT';

/**
 * The port changed: an env line `NIM_HTTP_API_PORT=<old port>` (as the catalog fills it) follows
 * the new port; a value the owner set to something else is left alone.
 */
export function withPort(v: NimFormValues, port: string): NimFormValues {
  const old = v.port.trim();
  const env = v.env
    .split('\n')
    .map((line) => {
      const eq = line.indexOf('=');
      if (eq < 0 || line.slice(0, eq).trim() !== PORT_ENV || line.slice(eq + 1).trim() !== old) return line;
      return `${PORT_ENV}=${port.trim()}`;
    })
    .join('\n');
  return { ...v, port, env };
}

export type NimFormErrors = Partial<
  Record<'image' | 'container' | 'port' | 'volume' | 'env' | 'node', string>
>;

export interface NimFormCheck {
  errors: NimFormErrors;
  /** The request to send, or null while there are errors. */
  body: NimInstallRequest | null;
}

export function parseEnvLines(text: string): { env: Record<string, string>; error: string | null } {
  const env: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    const name = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!ENV_NAME.test(name))
      return { env, error: `Line ${i + 1}: write NAME=value (a name of letters, digits and _).` };
    if (name === 'NGC_API_KEY')
      return { env, error: 'NGC_API_KEY comes from the settings (it never goes through this form).' };
    env[name] = line.slice(eq + 1).trim();
  }
  return { env, error: null };
}

export function checkNimForm(v: NimFormValues): NimFormCheck {
  const errors: NimFormErrors = {};
  const image = v.image.trim();
  const container = v.container.trim();
  const volume = v.volume.trim();
  if (!image) errors.image = 'Pick a catalog entry or enter an image, e.g. nvcr.io/nim/…:latest.';
  else if (!IMAGE.test(image))
    errors.image = 'An image reference: lower-case registry/path with an optional :tag.';
  if (!CONTAINER.test(container))
    errors.container = 'Letters, digits, _ . - (starting with a letter or digit), at most 63.';
  const port = Number(v.port.trim());
  if (!/^\d+$/.test(v.port.trim()) || port < 1 || port > 65535) errors.port = 'A port from 1 to 65535.';
  if (!volume) errors.volume = 'A docker volume name or a path (/… or ~/…) for the model cache.';
  else if (!VOLUME.test(volume) || volume.split('/').includes('..'))
    errors.volume = 'A docker volume name or a path (/… or ~/…), without spaces or "..".';
  const env = parseEnvLines(v.env);
  if (env.error) errors.env = env.error;
  if (!v.node) errors.node = 'Choose the node to run it on.';
  if (Object.keys(errors).length > 0) return { errors, body: null };
  return {
    errors,
    body: {
      image,
      container,
      port,
      volume,
      env: env.env,
      node: v.node,
      register_service: v.register,
      kind: v.kind,
    },
  };
}
