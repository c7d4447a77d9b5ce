// vLLM's `vllm serve` option strings, as data, read from vLLM's own source (vllm-project/vllm as
// stored by the search index):
//   vllm/engine/arg_utils.py           @ 99d7eb5d6a512cfcc5a2b104f24ebf2d6cda772b (v0.11.x: EngineArgs /
//                                        AsyncEngineArgs.add_cli_args; "removed in v0.12.0" deprecations)
//   vllm/entrypoints/openai/cli_args.py @ 789340fbad95a900ca3c467c9cee33b3d905fd61 (make_arg_parser,
//                                        FrontendArgs)
// plus the few later additions that the launcher and the catalog rely on, from newer arg_utils.py
// (ParallelConfig --master-addr/--master-port/--nnodes -n/--node-rank -r, which launch-cluster.sh
// appends in cluster mode; KernelConfig --enable-flashinfer-autotune and --moe-backend, whose
// choices come from vllm/config/kernel.py MoEBackend). That matches what spark-vllm-docker builds:
// vLLM from main. Left out on purpose: --external_parameters (present at that commit, but not an
// upstream vLLM option).
//
// Kinds mirror how argparse registers each one: BooleanOptionalAction (`bool`: --x and --no-x),
// store_true (`true`), one value (`str|int|float|json|hint`, where `hint` is human_readable_int),
// nargs="+" (`list`, `list-int`), nargs="?" (`opt`), action="append" (`append`), `type=bool` taking
// a value (`boolval`), or a choice list `{a,b}` (Literal types, sorted as literal_to_kwargs does).

export type FlagKind = 'value' | 'bool' | 'store_true' | 'list' | 'optional' | 'append';
export type ValueType = 'str' | 'int' | 'float' | 'json' | 'hint';

export interface VllmFlag {
  /** Option strings in registration order (argparse shows the first in usage and errors). */
  names: string[];
  /** Namespace attribute (argparse's dest). */
  dest: string;
  kind: FlagKind;
  type: ValueType;
  choices?: string[];
  deprecated?: boolean;
  group: string;
}

const TABLE = `
[make_arg_parser]
--headless = true
--api-server-count -asc = int
--config = str

[Frontend]
--host = str
--port = int
--uds = str
--uvicorn-log-level = {critical,debug,error,info,trace,warning}
--disable-uvicorn-access-log = bool
--allow-credentials = bool
--allowed-origins = json
--allowed-methods = json
--allowed-headers = json
--api-key = list
--lora-modules = list
--chat-template = str
--chat-template-content-format = {auto,openai,string}
--trust-request-chat-template = bool
--response-role = str
--ssl-keyfile = str
--ssl-certfile = str
--ssl-ca-certs = str
--enable-ssl-refresh = bool
--ssl-cert-reqs = int
--root-path = str
--middleware = append
--return-tokens-as-token-ids = bool
--disable-frontend-multiprocessing = bool
--enable-request-id-headers = bool
--enable-auto-tool-choice = bool
--exclude-tools-when-tool-choice-none = bool
--tool-call-parser = str
--tool-parser-plugin = str
--tool-server = str
--log-config-file = str
--max-log-len = int
--disable-fastapi-docs = bool
--enable-prompt-tokens-details = bool
--enable-server-load-tracking = bool
--enable-force-include-usage = bool
--enable-tokenizer-info-endpoint = bool
--enable-log-outputs = bool
--h11-max-incomplete-event-size = int
--h11-max-header-count = int
--log-error-stack = bool
--tokens-only = bool

[ModelConfig]
--model = str
--runner = {auto,draft,generate,pooling}
--convert = {auto,classify,embed,none,reward}
--task = {auto,classify,draft,embed,embedding,generate,reward,score,transcription,None} (deprecated)
--tokenizer = str
--tokenizer-mode = {auto,custom,mistral,slow}
--trust-remote-code = bool
--dtype = {auto,bfloat16,float,float16,float32,half}
--seed = int
--hf-config-path = str
--allowed-local-media-path = str
--allowed-media-domains = list
--revision = str
--code-revision = str
--rope-scaling = json
--rope-theta = float
--tokenizer-revision = str
--max-model-len = hint
--quantization -q = str
--enforce-eager = bool
--max-logprobs = int
--logprobs-mode = {processed_logits,processed_logprobs,raw_logits,raw_logprobs}
--disable-sliding-window = bool
--disable-cascade-attn = bool
--skip-tokenizer-init = bool
--enable-prompt-embeds = bool
--served-model-name = list
--config-format = str
--hf-token = opt
--hf-overrides = json
--pooler-config = json
--override-pooler-config = json (deprecated)
--logits-processor-pattern = str
--generation-config = str
--override-generation-config = json
--enable-sleep-mode = bool
--model-impl = str
--override-attention-dtype = str
--logits-processors = list
--io-processor-plugin = str

[LoadConfig]
--load-format = str
--download-dir = str
--safetensors-load-strategy = str
--model-loader-extra-config = json
--ignore-patterns = list
--use-tqdm-on-load = bool
--pt-load-map-location = str

[StructuredOutputsConfig]
--reasoning-parser = str
--guided-decoding-backend = str (deprecated)
--guided-decoding-disable-fallback = str (deprecated)
--guided-decoding-disable-any-whitespace = str (deprecated)
--guided-decoding-disable-additional-properties = str (deprecated)

[ParallelConfig]
--distributed-executor-backend = str
--pipeline-parallel-size -pp = int
--master-addr = str
--master-port = int
--nnodes -n = int
--node-rank -r = int
--tensor-parallel-size -tp = int
--decode-context-parallel-size -dcp = int
--data-parallel-size -dp = int
--data-parallel-rank -dpn = int
--data-parallel-start-rank -dpr = int
--data-parallel-size-local -dpl = int
--data-parallel-address -dpa = str
--data-parallel-rpc-port -dpp = int
--data-parallel-backend -dpb = str
--data-parallel-hybrid-lb = bool
--enable-expert-parallel = bool
--all2all-backend = str
--enable-dbo = bool
--dbo-decode-token-threshold = int
--dbo-prefill-token-threshold = int
--disable-nccl-for-dp-synchronization = bool
--enable-eplb = bool
--eplb-config = json
--expert-placement-strategy = {linear,round_robin}
--num-redundant-experts = int (deprecated)
--eplb-window-size = int (deprecated)
--eplb-step-interval = int (deprecated)
--eplb-log-balancedness = bool (deprecated)
--max-parallel-loading-workers = int
--ray-workers-use-nsight = bool
--disable-custom-all-reduce = bool
--worker-cls = str
--worker-extension-cls = str
--enable-multimodal-encoder-data-parallel = true (deprecated)

[CacheConfig]
--block-size = {1,8,16,32,64,128,None}
--gpu-memory-utilization = float
--kv-cache-memory-bytes = hint
--swap-space = float
--kv-cache-dtype = {auto,bfloat16,fp8,fp8_ds_mla,fp8_e4m3,fp8_e5m2,fp8_inc}
--num-gpu-blocks-override = int
--enable-prefix-caching = bool
--prefix-caching-hash-algo = {sha256,sha256_cbor}
--cpu-offload-gb = float
--calculate-kv-scales = bool
--kv-sharing-fast-prefill = bool
--mamba-cache-dtype = {auto,float32}
--mamba-ssm-cache-dtype = {auto,float32}
--mamba-block-size = int

[MultiModalConfig]
--limit-mm-per-prompt = json
--enable-mm-embeds = bool
--media-io-kwargs = json
--mm-processor-kwargs = json
--mm-processor-cache-gb = float
--disable-mm-preprocessor-cache = true (deprecated)
--mm-processor-cache-type = {lru,shm,None}
--mm-shm-cache-max-object-size-mb = int
--mm-encoder-tp-mode = {data,weights}
--mm-encoder-attn-backend = str
--interleave-mm-strings = bool
--skip-mm-profiling = bool
--video-pruning-rate = float

[LoRAConfig]
--enable-lora = bool
--max-loras = int
--max-lora-rank = int
--lora-extra-vocab-size = int
--lora-dtype = str
--max-cpu-loras = int
--fully-sharded-loras = bool
--default-mm-loras = json

[ObservabilityConfig]
--show-hidden-metrics-for-version = str
--otlp-traces-endpoint = str
--collect-detailed-traces = list

[SchedulerConfig]
--max-num-batched-tokens = hint
--max-num-seqs = int
--max-num-partial-prefills = int
--max-long-partial-prefills = int
--long-prefill-token-threshold = int
--num-lookahead-slots = int
--scheduling-policy = {fcfs,priority}
--enable-chunked-prefill = bool
--disable-chunked-mm-input = bool
--scheduler-cls = str
--disable-hybrid-kv-cache-manager = bool
--async-scheduling = bool

[CompilationConfig]
--cudagraph-capture-sizes = list-int
--cuda-graph-sizes = list-int (deprecated)
--max-cudagraph-capture-size = int

[KernelConfig]
--enable-flashinfer-autotune = bool
--moe-backend = {aiter,auto,cutlass,deep_gemm,flashinfer_cutedsl,flashinfer_cutlass,flashinfer_trtllm,marlin,triton}

[VllmConfig]
--speculative-config = json
--kv-transfer-config = json
--kv-events-config = json
--compilation-config -O = json
--additional-config = json
--structured-outputs-config = json

[options]
--disable-log-stats = true
--aggregate-engine-logging = true
--enable-log-requests = bool
--disable-log-requests = bool (deprecated)
`;

function parseTable(table: string): VllmFlag[] {
  const flags: VllmFlag[] = [];
  let group = '';
  for (const raw of table.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      group = header[1] ?? '';
      continue;
    }
    const m = /^(\S+(?: -\S+)*) = (\S+)( \(deprecated\))?$/.exec(line);
    if (!m) throw new Error(`flags.ts: bad line ${line}`);
    const names = (m[1] ?? '').split(' ');
    const spec = m[2] ?? '';
    const long = names[0] ?? '';
    const flag: VllmFlag = {
      names,
      dest: long.replace(/^--/, '').replace(/-/g, '_'),
      kind: 'value',
      type: 'str',
      group,
      ...(m[3] ? { deprecated: true } : {}),
    };
    if (spec.startsWith('{')) flag.choices = spec.slice(1, -1).split(',');
    else if (spec === 'bool') flag.kind = 'bool';
    else if (spec === 'true') flag.kind = 'store_true';
    else if (spec === 'list') flag.kind = 'list';
    else if (spec === 'list-int') Object.assign(flag, { kind: 'list', type: 'int' });
    else if (spec === 'opt') flag.kind = 'optional';
    else if (spec === 'append') flag.kind = 'append';
    else if (['str', 'int', 'float', 'json', 'hint'].includes(spec)) flag.type = spec as ValueType;
    else throw new Error(`flags.ts: bad kind ${spec}`);
    flags.push(flag);
  }
  return flags;
}

/** Every option of `vllm serve`, in the order vLLM registers them. */
export const VLLM_SERVE_FLAGS: readonly VllmFlag[] = parseTable(TABLE);

/** The positional argument of `vllm serve` (make_arg_parser: nargs="?"). */
export const MODEL_TAG = 'model_tag';

/** vLLM's default model when neither model_tag nor --model is given (ModelConfig.model in v0.11). */
export const DEFAULT_MODEL = 'Qwen/Qwen3-0.6B';

/** Subcommands of the `vllm` CLI (vllm/entrypoints/cli/main.py at the same version). */
export const VLLM_SUBCOMMANDS = ['chat', 'complete', 'serve', 'bench', 'collect-env', 'run-batch'];
