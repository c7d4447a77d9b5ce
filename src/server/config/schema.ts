// The config file's schema (YAML at CONFIG_FILE). It is also published as config.schema.json
// (`npm run config:schema`), and a test keeps that file and config.example.yaml in step with it.
import { Type, type Static } from 'typebox';

const Name = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,31}$', description: 'Node name used in URLs' });
const Port = Type.Integer({ minimum: 1, maximum: 65535 });
const Host = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:_-]+$' });
// The same rules as platform/remote/validators.ts (config/rules.ts runs those for clear messages).
const User = Type.String({
  pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,31}$',
  description: 'POSIX user name: letters, digits, . _ -, not starting with - or a digit',
});
const Mac = Type.String({
  pattern:
    '^([0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}|[0-9A-Fa-f]{12})$',
});
const Url = Type.String({
  pattern: '^https?://[^\\s/?#]+',
  maxLength: 2048,
  description: 'http:// or https:// URL',
});
const Container = Type.String({
  pattern: '^$|^[a-zA-Z0-9][a-zA-Z0-9_.-]*$',
  maxLength: 128,
  description: 'Docker container name; empty means the default',
});

export const ApiKeySchema = Type.Object(
  {
    name: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$',
      description: 'Who uses the key (shown in gateway stats)',
    }),
    key: Type.String({
      minLength: 1,
      maxLength: 512,
      pattern: '^\\S+$',
      description: 'Secret: sent as `Authorization: Bearer <key>`; never logged or shown',
    }),
    always_redact: Type.Optional(
      Type.Boolean({
        description:
          "This key's /v1/chat/completions always go through the redacting route (/v1/redact/chat/completions)",
      }),
    ),
  },
  { additionalProperties: false },
);

export const AdminTokenSchema = Type.Object(
  {
    name: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$',
      description: 'Who uses the token (a script, the CLI)',
    }),
    token: Type.String({
      minLength: 16,
      maxLength: 512,
      pattern: '^\\S+$',
      description: 'Secret: sent as `Authorization: Bearer <token>` to control routes; never logged or shown',
    }),
  },
  { additionalProperties: false },
);

export const AuthSchema = Type.Object(
  {
    admin_password_hash: Type.Optional(
      Type.String({
        maxLength: 256,
        description: 'scrypt$N$r$p$salt$hash from `npm run hash-password`; turns the dashboard login on',
      }),
    ),
    admin_tokens: Type.Optional(
      Type.Array(AdminTokenSchema, {
        maxItems: 32,
        description: 'Bearer tokens for scripts and the CLI; any entry turns admin auth on',
      }),
    ),
    session_hours: Type.Optional(
      Type.Number({ minimum: 1, maximum: 720, description: 'How long a dashboard login lasts (hours)' }),
    ),
  },
  { additionalProperties: false },
);

export const NodeSchema = Type.Object(
  {
    name: Name,
    host: Host,
    user: User,
    ssh_port: Type.Optional(Port),
    qsfp_ip: Type.Optional(Host),
    mac: Type.Optional(Mac),
  },
  { additionalProperties: false },
);

export const ServiceSchema = Type.Object(
  {
    node: Name,
    port: Port,
    container: Type.Optional(Container),
    kind: Type.Union([
      Type.Literal('asr'),
      Type.Literal('tts'),
      Type.Literal('embeddings'),
      Type.Literal('bot'),
      Type.Literal('other'),
    ]),
    api: Type.Optional(
      Type.Union([Type.Literal('parakeet-app'), Type.Literal('nim')], {
        description:
          "Speech services only: the API the container speaks — 'parakeet-app' (the custom Parakeet app: /health, verbose_json/srt/vtt) or 'nim' (an NVIDIA speech NIM: /v1/health/ready, json/text, language required). Default: parakeet-app for asr, nim for tts",
      }),
    ),
  },
  { additionalProperties: false },
);

export const ConfigFileSchema = Type.Object(
  {
    cluster_name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    nodes: Type.Optional(Type.Array(NodeSchema, { minItems: 1, maxItems: 64 })),
    vllm: Type.Optional(
      Type.Object(
        {
          nodes: Type.Optional(Type.Array(Name, { minItems: 1 })),
          port: Type.Optional(Port),
          container: Type.Optional(Container),
          launcher_dir: Type.Optional(
            Type.String({
              pattern: '^(~|~/[A-Za-z0-9._@+/-]*|/[A-Za-z0-9._@+/-]*)$',
              maxLength: 4096,
              description:
                "Where spark-vllm-docker is on the head node: absolute, or ~/… for the SSH user's home",
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    services: Type.Optional(Type.Record(Name, ServiceSchema)),
    speech_models: Type.Optional(
      Type.Object(
        {
          app_dir: Type.Optional(
            Type.String({
              pattern: '^/[A-Za-z0-9._@+/-]*$',
              maxLength: 4096,
              description:
                'Where the Parakeet container keeps its app (the speech-model overlay is copied there); default /opt/parakeet/app',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    embeddings_url: Type.Optional(Url),
    qdrant_url: Type.Optional(Url),
    open_webui_url: Type.Optional(Url),
    matrix_bridge_user: Type.Optional(Type.Union([Type.Literal(''), User])),
    matrix_bridge: Type.Optional(
      Type.Object(
        {
          node: Type.Optional(Name),
          container: Type.Optional(Container),
          branch: Type.Optional(
            Type.String({
              pattern: '^[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}$',
              description: 'Branch Update resets ~/matrix-bridge to (origin/<branch>)',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    hardware: Type.Optional(
      Type.Object(
        {
          interval_s: Type.Optional(Type.Number({ minimum: 1, maximum: 3600 })),
          history_hours: Type.Optional(Type.Number({ minimum: 1, maximum: 24 * 30 })),
        },
        { additionalProperties: false },
      ),
    ),
    wake: Type.Optional(
      Type.Object(
        {
          broadcast_address: Type.Optional(
            Type.String({
              maxLength: 15,
              description:
                "Where the control plane broadcasts Wake-on-LAN packets (IPv4): 255.255.255.255, or the Sparks' subnet broadcast such as 192.0.2.255 when the control plane is on another network",
            }),
          ),
          ports: Type.Optional(
            Type.Array(Port, {
              minItems: 1,
              maxItems: 4,
              description: 'UDP ports the magic packet is sent to (default 9 and 7)',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    webhooks: Type.Optional(
      Type.Array(Url, { maxItems: 16, description: 'URLs that receive swap_complete / swap_failed JSON' }),
    ),
    api_keys: Type.Optional(
      Type.Array(ApiKeySchema, {
        maxItems: 64,
        description: 'When any key is set, every /v1 route requires `Authorization: Bearer <key>`',
      }),
    ),
    gateway: Type.Optional(
      Type.Object(
        {
          max_body_mb: Type.Optional(
            Type.Number({ minimum: 1, maximum: 1024, description: 'Largest JSON body /v1 accepts (MB)' }),
          ),
          max_upload_mb: Type.Optional(
            Type.Number({ minimum: 1, maximum: 4096, description: 'Largest audio upload /v1 accepts (MB)' }),
          ),
          swap_on_request: Type.Optional(
            Type.Boolean({
              description: 'A request for a catalog model that is not loaded swaps to it and waits',
            }),
          ),
          swap_on_request_timeout_s: Type.Optional(
            Type.Number({
              minimum: 10,
              maximum: 7200,
              description: 'How long such a request waits for the swap',
            }),
          ),
          list_voices_in_models: Type.Optional(
            Type.Boolean({
              description:
                'Also list every Magpie voice as a model in GET /v1/models (old consumers; chat UIs then offer voices as chat models)',
            }),
          ),
          voice_map: Type.Optional(
            Type.Record(
              Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
              Type.String({
                pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z]{2,3}-[A-Za-z]{2,4}(\\.[A-Za-z0-9_-]+)*$',
                maxLength: 200,
              }),
              {
                maxProperties: 64,
                additionalProperties: false,
                description:
                  'OpenAI voice names (alloy, echo, …) → Magpie voices (Magpie-Multilingual.EN-US.Aria), over the shipped defaults',
              },
            ),
          ),
          ffmpeg_path: Type.Optional(
            Type.String({
              maxLength: 4096,
              description: 'The ffmpeg used for speech formats (default: ffmpeg on PATH)',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    audio: Type.Optional(
      Type.Object(
        {
          long_audio_threshold_s: Type.Optional(
            Type.Number({
              minimum: 1,
              maximum: 86_400,
              description:
                'Audio longer than this (seconds) is cut into chunks and diarized globally (default 600)',
            }),
          ),
          chunk_s: Type.Optional(
            Type.Number({
              minimum: 5,
              maximum: 3600,
              description: 'Length of one chunk of long audio (seconds, default 300)',
            }),
          ),
          chunk_overlap_s: Type.Optional(
            Type.Number({
              minimum: 0,
              maximum: 120,
              description: 'Overlap between neighbouring chunks (seconds, default 5; less than half a chunk)',
            }),
          ),
          parallel_chunks: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 8,
              description: 'Chunks of one recording worked on at once (default 2)',
            }),
          ),
          gpu_concurrency: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 3,
              description:
                'GPU-bound audio requests in flight at once; over it 503 + Retry-After (default 2)',
            }),
          ),
          max_long_runs: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 32,
              description:
                'Long recordings and async audio jobs admitted at once, running or waiting for the GPU; over it 503 + Retry-After (default 4)',
            }),
          ),
          cluster_distance_threshold: Type.Optional(
            Type.Number({
              minimum: 0.05,
              maximum: 1.95,
              description: 'Cosine distance under which two chunk speakers are the same voice (default 0.7)',
            }),
          ),
          speaker_match_threshold: Type.Optional(
            Type.Number({
              minimum: 0,
              maximum: 1,
              description: 'Cosine similarity a speaker must reach to take an enrolled name (default 0.75)',
            }),
          ),
          max_upload_mb: Type.Optional(
            Type.Number({
              minimum: 1,
              maximum: 8192,
              description: 'Largest upload /api/audio accepts (MB, default 1024)',
            }),
          ),
          result_retention_h: Type.Optional(
            Type.Number({
              minimum: 1,
              maximum: 8760,
              description: 'Hours an async result is kept (default 72)',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    deep_health: Type.Optional(
      Type.Object(
        {
          interval_s: Type.Optional(
            Type.Number({
              minimum: 10,
              maximum: 86_400,
              description: 'Seconds between scheduled deep checks',
            }),
          ),
          timeout_s: Type.Optional(
            Type.Number({
              minimum: 1,
              maximum: 600,
              description: 'A deep probe answering later than this fails',
            }),
          ),
          auto_restart: Type.Optional(
            Type.Boolean({ description: 'Restart a wedged speech service or vLLM (docker restart)' }),
          ),
          max_restarts: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 20,
              description: 'Automatic restarts per service per window',
            }),
          ),
          window_min: Type.Optional(
            Type.Number({
              minimum: 1,
              maximum: 1440,
              description: 'The window max_restarts counts in (minutes)',
            }),
          ),
          cooldown_s: Type.Optional(
            Type.Number({
              minimum: 0,
              maximum: 86_400,
              description: 'Least time between two restarts of a service',
            }),
          ),
          startup_grace_s: Type.Optional(
            Type.Number({
              minimum: 0,
              maximum: 3600,
              description: 'No automatic restart this long after the control plane starts',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    updates: Type.Optional(
      Type.Object(
        {
          check_interval_minutes: Type.Optional(
            Type.Number({
              minimum: 1,
              maximum: 10_080,
              description:
                'Minutes between checks of spark-vllm-docker (the launcher) for new commits (default 30)',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    redaction: Type.Optional(
      Type.Object(
        {
          retention_hours: Type.Optional(
            Type.Number({
              minimum: 0.01,
              maximum: 8760,
              description:
                'Hours a redaction task (its placeholder values) is kept after its last use (default 24)',
            }),
          ),
          max_text_kb: Type.Optional(
            Type.Number({
              minimum: 1,
              maximum: 65_536,
              description: 'Largest text /scrub and /rehydrate accept (KB, default 1024)',
            }),
          ),
          names: Type.Optional(
            Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
              maxItems: 100_000,
              description: 'Person names the scrub replaces with [PERSON_n] (whole words, any case)',
            }),
          ),
          names_file: Type.Optional(
            Type.Union([Type.String({ minLength: 1, maxLength: 4096 }), Type.Null()], {
              description: 'A file of person names, one per line (read at start; # starts a comment)',
            }),
          ),
          patterns: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  name: Type.String({
                    minLength: 1,
                    maxLength: 64,
                    description: 'The entity type it produces: EMPLOYEE_ID gives [EMPLOYEE_ID_1]',
                  }),
                  regex: Type.String({ minLength: 1, maxLength: 2000 }),
                  flags: Type.Optional(Type.String({ maxLength: 4, description: 'i, m, s, u' })),
                },
                { additionalProperties: false },
              ),
              { maxItems: 64, description: 'Custom patterns (checked at start-up)' },
            ),
          ),
          default_region: Type.Optional(
            Type.Union([Type.String({ pattern: '^[A-Za-z]{2}$' }), Type.Null()], {
              description:
                'Region for phone numbers written without a country code (ISO 3166 alpha-2, e.g. US)',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    allowed_hosts: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 253 }), {
        maxItems: 64,
        description:
          "Extra names the server answers to (DNS-rebinding guard): spark.example.com or *.example.com. IP addresses, localhost and this machine's host name are always allowed",
      }),
    ),
    trusted_origins: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 300 }), {
        maxItems: 32,
        description:
          'Origins (https://host[:port]) allowed to call control routes besides the served host: reverse proxies, StartOS addresses',
      }),
    ),
    auth: Type.Optional(AuthSchema),
    metrics: Type.Optional(
      Type.Object(
        {
          token: Type.Optional(
            Type.String({
              minLength: 16,
              maxLength: 512,
              pattern: '^\\S+$',
              description:
                'Secret: when set, GET /metrics requires `Authorization: Bearer <token>` (Prometheus bearer_token); never logged or shown',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    ngc_api_key: Type.Optional(Type.String({ description: 'Secret: never logged or shown' })),
    hf_token: Type.Optional(Type.String({ description: 'Secret: never logged or shown' })),
    qdrant_api_key: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 4096,
        // Sent as Qdrant's `api-key` header: visible ASCII, inner spaces only (HTTP trims the ends).
        pattern: '^[\\x21-\\x7e]([\\x20-\\x7e]*[\\x21-\\x7e])?$',
        description:
          'Secret: the key Qdrant was started with (QDRANT__SERVICE__API_KEY), sent as its api-key header; never logged or shown',
      }),
    ),
  },
  {
    additionalProperties: false,
    $id: 'https://spark-control.local/config.schema.json',
    title: 'Spark Control config',
  },
);

export type ConfigFile = Static<typeof ConfigFileSchema>;
export type NodeConfigInput = Static<typeof NodeSchema>;
export type ApiKeyInput = Static<typeof ApiKeySchema>;
export type AuthInput = Static<typeof AuthSchema>;
