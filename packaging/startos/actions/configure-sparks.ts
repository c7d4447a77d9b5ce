// "Configure Sparks": every setting of SPEC §1 as a form, written to the server's config file
// (/data/config.yaml, the previous one kept as config.yaml.bak), then the service restarts. Field
// rules come from the server's own schema, so the form refuses what start-up would refuse.
import { sdk } from '../sdk.js';
import { configFile } from '../config-file.js';
import { applyForm, formProblems, prefillFromDocument } from '../config-document.js';
import { ApiKeySchema, ConfigFileSchema, NodeSchema } from '../../../src/server/config/schema.js';

const { InputSpec, Value, List } = sdk;

/** The schema's regex for a field, as the form's validation pattern. */
function rule(schema: unknown, description: string) {
  const regex = (schema as { pattern?: unknown }).pattern;
  return typeof regex === 'string' ? [{ regex, description }] : [];
}

const node = NodeSchema.properties;
const vllmSchema = (ConfigFileSchema.properties.vllm as unknown as { properties: Record<string, unknown> })
  .properties;
const NAME = rule(node.name, 'Lower-case letters, digits, _ and -, at most 32 characters');
const HOST = rule(node.host, 'A host name or IP address');
const USER = rule(node.user, 'A POSIX user name: letters, digits, . _ -, not starting with - or a digit');
const MAC = rule(node.mac, 'Six hex pairs, e.g. 00:11:22:33:44:55');
const URL_RULE = rule(ConfigFileSchema.properties.embeddings_url, 'An http:// or https:// URL');
const CONTAINER = rule(vllmSchema.container, 'A Docker container name (letters, digits, _ . -)');
const LAUNCHER_DIR = rule(vllmSchema.launcher_dir, 'An absolute path, or ~/… in the SSH user’s home');

const port = (name: string, description: string) =>
  Value.number({ name, description, default: null, required: false, integer: true, min: 1, max: 65535 });
const optionalText = (
  name: string,
  description: string,
  patterns: { regex: string; description: string }[],
) => Value.text({ name, description, default: null, required: false, patterns });
const secret = (name: string, description: string) =>
  Value.text({
    name,
    description: `${description} Write-only: leave blank to keep the saved value.`,
    default: null,
    required: false,
    masked: true,
  });

const service = (name: string, defaultPort: number, defaultContainer: string) =>
  Value.object(
    { name, description: `Where the ${name} container runs. Leave the Spark blank if you do not use it.` },
    InputSpec.of({
      node: optionalText('Spark', 'The name of the Spark (from the list above) running it', NAME),
      port: port('Port', `Default ${defaultPort}`),
      container: optionalText('Container', `Default ${defaultContainer}`, CONTAINER),
    }),
  );

export const configureSparksSpec = InputSpec.of({
  cluster_name: Value.text({
    name: 'Cluster name',
    description: 'Shown in the dashboard’s top bar',
    default: null,
    required: false,
    maxLength: 64,
  }),
  nodes: Value.list(
    List.obj(
      { name: 'Sparks', description: 'Each DGX Spark the control plane reaches over SSH', maxLength: 64 },
      {
        displayAs: '{{name}} ({{host}})',
        uniqueBy: 'name',
        spec: InputSpec.of({
          name: Value.text({
            name: 'Name',
            description: 'Used in URLs, e.g. spark1',
            default: null,
            required: true,
            patterns: NAME,
          }),
          host: Value.text({
            name: 'Host',
            description: 'e.g. spark1.local or 192.0.2.10',
            default: null,
            required: true,
            patterns: HOST,
          }),
          user: Value.text({ name: 'SSH user', default: null, required: true, patterns: USER }),
          ssh_port: port('SSH port', 'Default 22'),
          qsfp_ip: optionalText('QSFP address', 'Fast-link address used in cluster mode', HOST),
          mac: optionalText('MAC address', 'For Wake-on-LAN', MAC),
        }),
      },
    ),
  ),
  vllm: Value.object(
    { name: 'vLLM', description: 'The LLM server on the head Spark' },
    InputSpec.of({
      nodes: Value.list(
        List.text(
          {
            name: 'Spark(s)',
            description: 'The head Spark first; two for cluster mode. Default: the first Spark',
          },
          { patterns: NAME },
        ),
      ),
      port: port('Port', 'Default 8888'),
      container: optionalText('Container', 'Default vllm_node', CONTAINER),
      launcher_dir: optionalText(
        'Launcher directory',
        'Where spark-vllm-docker is; default ~/spark-vllm-docker',
        LAUNCHER_DIR,
      ),
    }),
  ),
  parakeet: service('Parakeet (speech to text)', 8000, 'parakeet-asr'),
  magpie: service('Magpie (text to speech)', 9000, 'magpie-tts'),
  embeddings_url: optionalText('Embeddings URL', 'An OpenAI-compatible embeddings service', URL_RULE),
  qdrant_url: optionalText('Qdrant URL', 'The vector database behind /api/search', URL_RULE),
  open_webui_url: optionalText('Open WebUI URL', 'Adds an "Open chat ↗" link to the top bar', URL_RULE),
  matrix_bridge_user: optionalText(
    'Matrix bridge user',
    'SSH user owning ~/matrix-bridge; blank hides the tile',
    USER,
  ),
  webhooks: Value.list(
    List.text(
      { name: 'Webhook URLs', description: 'Receive swap_complete / swap_failed JSON', maxLength: 16 },
      { patterns: URL_RULE },
    ),
  ),
  api_keys: Value.list(
    List.obj(
      {
        name: 'API keys',
        description: 'When any key is set, every /v1 route requires Authorization: Bearer <key>',
        maxLength: 64,
      },
      {
        displayAs: '{{name}}',
        uniqueBy: 'name',
        spec: InputSpec.of({
          name: Value.text({
            name: 'Name',
            description: 'Who uses the key (shown in gateway stats)',
            default: null,
            required: true,
            patterns: rule(ApiKeySchema.properties.name, 'Letters, digits, _ . -'),
          }),
          key: Value.text({
            name: 'Key',
            description: 'Write-only: leave blank to keep the saved key of this name',
            default: null,
            required: false,
            masked: true,
            patterns: rule(ApiKeySchema.properties.key, 'No spaces'),
          }),
          always_redact: Value.toggle({
            name: 'Always redact',
            description: 'This key’s chat requests always go through the redaction gateway',
            default: false,
          }),
        }),
      },
    ),
  ),
  ngc_api_key: secret('NGC API key', 'For NVIDIA NIM installs.'),
  hf_token: secret('Hugging Face token', 'For gated model downloads.'),
  qdrant_api_key: secret(
    'Qdrant API key',
    'For vector search when Qdrant runs with an API key (QDRANT__SERVICE__API_KEY).',
  ),
  metrics_token: secret(
    'Metrics token',
    'When set, /metrics requires it as a bearer token (at least 16 characters).',
  ),
  remove_secrets: Value.multiselect({
    name: 'Remove saved secrets',
    description: 'Clears the chosen secrets (a blank field above keeps them)',
    default: [],
    values: {
      ngc_api_key: 'NGC API key',
      hf_token: 'Hugging Face token',
      qdrant_api_key: 'Qdrant API key',
      metrics_token: 'Metrics token',
    },
  }),
});

export const configureSparks = sdk.Action.withInput(
  'configure-sparks',
  async () => ({
    name: 'Configure Sparks',
    description:
      'Your Sparks (host, SSH user and port, QSFP address, MAC), vLLM, where the speech services run, URLs, API keys, webhooks and secrets. Saved to the config file the dashboard’s settings page also edits; the service restarts.',
    warning: null,
    allowedStatuses: 'any',
    group: null,
    visibility: 'enabled',
  }),
  configureSparksSpec,
  async () => prefillFromDocument((await configFile.read().once()) ?? {}),
  async ({ effects, input }) => {
    const current = (await configFile.read().once()) ?? {};
    const problems = formProblems(input, current);
    if (problems.length > 0) throw new Error(problems.join('\n'));
    const previous = await sdk.volumes.main.readFile('config.yaml', 'utf8').catch(() => null);
    if (previous !== null) await sdk.volumes.main.writeFile('config.yaml.bak', previous);
    await configFile.write(effects, applyForm(current, input));
    await sdk.restart(effects);
    return {
      version: '1',
      title: 'Saved',
      message:
        'Spark Control restarts with the new settings. Next, run "Show public key" and authorize the control plane on each Spark.',
      result: null,
    };
  },
);
