// vLLM's own log format (v0.11), so `docker logs vllm_node` on the simulated head reads like the
// real container: `(APIServer pid=N) INFO MM-DD HH:MM:SS [file.py:line] message`, engine-core
// lines prefixed `(EngineCore_DP0 pid=M)`, uvicorn's `INFO:     …` lines, and Python tracebacks
// (frames from vLLM's source layout) when something fails.
import type { ModelFacts } from './model-facts.js';

export const VLLM_VERSION = '0.11.1';

export interface Pids {
  api: number;
  engine: number;
}

const two = (n: number): string => String(n).padStart(2, '0');

export function vllmTime(d: Date): string {
  return `${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

type Level = 'INFO' | 'WARNING' | 'ERROR';
export const apiLine = (pids: Pids, d: Date, src: string, msg: string, level: Level = 'INFO'): string =>
  `(APIServer pid=${pids.api}) ${level} ${vllmTime(d)} [${src}] ${msg}`;
export const engineLine = (pids: Pids, d: Date, src: string, msg: string, level: Level = 'INFO'): string =>
  `(EngineCore_DP0 pid=${pids.engine}) ${level} ${vllmTime(d)} [${src}] ${msg}`;
export const uvicornLine = (pids: Pids, msg: string): string =>
  `(APIServer pid=${pids.api}) INFO:     ${msg}`;
/** A line the process prints before its logger is set up (no process prefix). */
export const bareWarning = (d: Date, src: string, msg: string): string =>
  `WARNING ${vllmTime(d)} [${src}] ${msg}`;

export interface LoadParams {
  /** The model argument as given (repo id or path). */
  model: string;
  /** --served-model-name, or the model. */
  servedNames: string[];
  facts: ModelFacts;
  port: number;
  pids: Pids;
  /** Seconds the load takes in the simulation, printed in the timing lines. */
  seconds: number;
  maxModelLen: number;
  maxNumBatchedTokens: number;
  /** Nodes the model is spread over (tensor parallel across Sparks). */
  nodes: number;
  /** vLLM's "non-default args" dict, already in Python repr. */
  nonDefault: string;
  gpuMemoryUtilization: number;
}

/** One burst of log lines, emitted when `at` (0..1) of the load time has passed. */
export interface LogStep {
  at: number;
  lines: (now: Date) => string[];
}

const ROUTES = ['/health', '/metrics', '/version', '/v1/models', '/v1/chat/completions', '/v1/completions'];
/** GB10 memory as torch sees it. */
export const GPU_TOTAL_GIB = 119.7;

export const LOAD = {
  /** Engine core is up and about to build the model runner (where the MM budget is checked). */
  engineInit: 0.1,
  /** Weights start streaming in. */
  weightsStart: 0.14,
  weightsEnd: 0.66,
  /** KV cache sizing (where the Mamba block size is checked). */
  kvCache: 0.78,
} as const;

export const weightsGib = (p: Pick<LoadParams, 'facts' | 'nodes'>): number =>
  (p.facts.sizeGb * 0.93) / p.nodes;

export function startupSteps(p: LoadParams): LogStep[] {
  const { model, facts, pids } = p;
  const served = p.servedNames[0] ?? model;
  const shards = Math.max(1, Math.ceil(facts.sizeGb / p.nodes / 5));
  const budget = GPU_TOTAL_GIB * p.gpuMemoryUtilization;
  const kvGib = Math.max(1, budget - weightsGib(p) - 1.2);
  const kvTokens = Math.round(kvGib * 21_845);
  const s = (f: number): string => (p.seconds * f).toFixed(2);
  const steps: LogStep[] = [
    {
      at: 0,
      lines: (d) => [
        apiLine(pids, d, 'api_server.py:1839', `vLLM API server version ${VLLM_VERSION}`),
        apiLine(pids, d, 'utils.py:233', `non-default args: ${p.nonDefault}`),
      ],
    },
    {
      at: 0.04,
      lines: (d) => [
        apiLine(pids, d, 'model.py:547', `Resolved architecture: ${facts.architecture}`),
        apiLine(pids, d, 'model.py:1510', `Using max model len ${p.maxModelLen}`),
        apiLine(
          pids,
          d,
          'scheduler.py:205',
          `Chunked prefill is enabled with max_num_batched_tokens=${p.maxNumBatchedTokens}.`,
        ),
      ],
    },
    {
      at: LOAD.engineInit,
      lines: (d) => [
        engineLine(pids, d, 'core.py:644', 'Waiting for init message from front-end.'),
        engineLine(
          pids,
          d,
          'core.py:77',
          `Initializing a V1 LLM engine (v${VLLM_VERSION}) with config: model='${model}', speculative_config=None, tokenizer='${model}', skip_tokenizer_init=False, tokenizer_mode=auto, revision=None, trust_remote_code=False, dtype=torch.bfloat16, max_seq_len=${p.maxModelLen}, download_dir=None, load_format=auto, tensor_parallel_size=${p.nodes}, pipeline_parallel_size=1, data_parallel_size=1, disable_custom_all_reduce=False, device_config=cuda, seed=0, served_model_name=${served}, enable_prefix_caching=True, chunked_prefill_enabled=True`,
        ),
        ...(p.nodes > 1
          ? [
              engineLine(
                pids,
                d,
                'multiproc_executor.py:720',
                `Multi-node: ${p.nodes} nodes, world size ${p.nodes}, this node runs rank 0 (NCCL over the QSFP link)`,
              ),
            ]
          : []),
      ],
    },
    {
      at: LOAD.weightsStart - 0.02,
      lines: (d) => [
        engineLine(pids, d, 'gpu_model_runner.py:2602', `Starting to load model ${model}...`),
        `(EngineCore_DP0 pid=${pids.engine}) Loading safetensors checkpoint shards:   0% Completed | 0/${shards} [00:00<?, ?it/s]`,
      ],
    },
  ];
  const perShard = (p.seconds * (LOAD.weightsEnd - LOAD.weightsStart)) / shards;
  const clock = (sec: number): string => `${two(Math.floor(sec / 60))}:${two(Math.floor(sec % 60))}`;
  for (let i = 1; i <= shards; i++) {
    const pct = String(Math.round((i / shards) * 100)).padStart(3);
    steps.push({
      at: LOAD.weightsStart + ((LOAD.weightsEnd - LOAD.weightsStart) * i) / shards,
      lines: () => [
        `(EngineCore_DP0 pid=${pids.engine}) Loading safetensors checkpoint shards: ${pct}% Completed | ${i}/${shards} [${clock(i * perShard)}<${clock((shards - i) * perShard)},  ${perShard.toFixed(2)}s/it]`,
      ],
    });
  }
  steps.push(
    {
      at: LOAD.weightsEnd + 0.02,
      lines: (d) => [
        `(EngineCore_DP0 pid=${pids.engine}) `,
        engineLine(pids, d, 'default_loader.py:267', `Loading weights took ${s(0.5)} seconds`),
        engineLine(
          pids,
          d,
          'gpu_model_runner.py:2653',
          `Model loading took ${weightsGib(p).toFixed(1)} GiB memory and ${s(0.55)} seconds`,
        ),
      ],
    },
    {
      at: LOAD.kvCache,
      lines: (d) => [
        engineLine(pids, d, 'gpu_worker.py:276', `Memory profiling takes ${s(0.08)} seconds`),
        engineLine(pids, d, 'gpu_worker.py:298', `Available KV cache memory: ${kvGib.toFixed(2)} GiB`),
        engineLine(
          pids,
          d,
          'kv_cache_utils.py:1087',
          `GPU KV cache size: ${kvTokens.toLocaleString('en-US')} tokens`,
        ),
        engineLine(
          pids,
          d,
          'kv_cache_utils.py:1091',
          `Maximum concurrency for ${p.maxModelLen.toLocaleString('en-US')} tokens per request: ${(kvTokens / p.maxModelLen).toFixed(2)}x`,
        ),
      ],
    },
    {
      at: 0.9,
      lines: (d) => [
        engineLine(
          pids,
          d,
          'gpu_model_runner.py:3480',
          `Graph capturing finished in ${s(0.1)} secs, took 0.58 GiB`,
        ),
        engineLine(
          pids,
          d,
          'core.py:210',
          `init engine (profile, create kv cache, warmup model) took ${s(0.3)} seconds`,
        ),
      ],
    },
    {
      at: 1,
      lines: (d) => [
        apiLine(pids, d, 'api_server.py:1634', "Supported_tasks: ['generate']"),
        apiLine(pids, d, 'api_server.py:1912', `Starting vLLM API server 0 on http://0.0.0.0:${p.port}`),
        apiLine(pids, d, 'launcher.py:34', 'Available routes are:'),
        ...ROUTES.map((r) =>
          apiLine(
            pids,
            d,
            'launcher.py:42',
            `Route: ${r}, Methods: ${r.startsWith('/v1/c') ? 'POST' : 'GET'}`,
          ),
        ),
        uvicornLine(pids, `Started server process [${pids.api}]`),
        uvicornLine(pids, 'Waiting for application startup.'),
        uvicornLine(pids, 'Application startup complete.'),
      ],
    },
  );
  return steps;
}

const PKG = '/usr/local/lib/python3.12/dist-packages/vllm';
const HF_VALIDATORS = '/usr/local/lib/python3.12/dist-packages/huggingface_hub/utils/_validators.py';

/** Python traceback frames: [file, line, function, source line]. */
type Frame = [string, number, string, string];

const CLI_FRAMES: Frame[] = [
  ['/usr/local/bin/vllm', 10, '<module>', 'sys.exit(main())'],
  [`${PKG}/entrypoints/cli/main.py`, 73, 'main', 'args.dispatch_function(args)'],
  [`${PKG}/entrypoints/cli/serve.py`, 59, 'cmd', 'uvloop.run(run_server(args))'],
  ['/usr/local/lib/python3.12/dist-packages/uvloop/__init__.py', 109, 'run', 'return __asyncio.run('],
  ['/usr/lib/python3.12/asyncio/runners.py', 195, 'run', 'return runner.run(main)'],
  ['/usr/lib/python3.12/asyncio/runners.py', 118, 'run', 'return self._loop.run_until_complete(task)'],
  ['uvloop/loop.pyx', 1518, 'uvloop.loop.Loop.run_until_complete', ''],
];

const ENGINE_CLIENT_FRAMES: Frame[] = [
  [
    `${PKG}/entrypoints/openai/api_server.py`,
    1884,
    'run_server',
    'await run_server_worker(listen_address, sock, args, **uvicorn_kwargs)',
  ],
  [
    `${PKG}/entrypoints/openai/api_server.py`,
    1902,
    'run_server_worker',
    'async with build_async_engine_client(',
  ],
  ['/usr/lib/python3.12/contextlib.py', 210, '__aenter__', 'return await anext(self.gen)'],
  [
    `${PKG}/entrypoints/openai/api_server.py`,
    180,
    'build_async_engine_client',
    'async with build_async_engine_client_from_engine_args(',
  ],
  ['/usr/lib/python3.12/contextlib.py', 210, '__aenter__', 'return await anext(self.gen)'],
];

function renderFrames(frames: Frame[]): string[] {
  const out: string[] = [];
  for (const [file, line, fn, src] of frames) {
    out.push(`  File "${file}", line ${line}, in ${fn}`);
    if (src) out.push(`    ${src}`);
  }
  return out;
}

const prefixAll = (prefix: string, lines: string[]): string[] => lines.map((l) => `${prefix}${l}`);

/** A failure in the API server process (config, socket): its traceback, then the process exits. */
export function apiTraceback(
  pids: Pids,
  frames: 'config' | 'socket',
  error: string[],
  cause?: string[],
): string[] {
  const tail: Frame[] =
    frames === 'socket'
      ? [
          [
            `${PKG}/entrypoints/openai/api_server.py`,
            1870,
            'run_server',
            'listen_address, sock = setup_server(args)',
          ],
          [
            `${PKG}/entrypoints/openai/api_server.py`,
            1850,
            'setup_server',
            'sock = create_server_socket(sock_addr)',
          ],
          [`${PKG}/entrypoints/openai/api_server.py`, 1811, 'create_server_socket', 'sock.bind(addr)'],
        ]
      : [
          ...ENGINE_CLIENT_FRAMES,
          [
            `${PKG}/entrypoints/openai/api_server.py`,
            206,
            'build_async_engine_client_from_engine_args',
            'vllm_config = engine_args.create_engine_config(usage_context=usage_context)',
          ],
          [
            `${PKG}/engine/arg_utils.py`,
            1142,
            'create_engine_config',
            'model_config = self.create_model_config()',
          ],
          [`${PKG}/engine/arg_utils.py`, 994, 'create_model_config', 'return ModelConfig('],
          [
            '/usr/local/lib/python3.12/dist-packages/pydantic/_internal/_dataclasses.py',
            123,
            '__init__',
            's.__pydantic_validator__.validate_python(ArgsKwargs(args, kwargs), self_instance=s)',
          ],
          [
            `${PKG}/config/model.py`,
            592,
            '__post_init__',
            'hf_config = get_config(self.hf_config_path or self.model,',
          ],
          [
            `${PKG}/transformers_utils/config.py`,
            566,
            'get_config',
            'raise ValueError(error_message) from e',
          ],
        ];
  // Python prints the cause first, then "direct cause", then the exception that ended the process.
  const causeLines = cause
    ? [
        'Traceback (most recent call last):',
        ...renderFrames(
          cause.some((l) => l.startsWith('huggingface_hub'))
            ? [
                [
                  `${PKG}/transformers_utils/config.py`,
                  540,
                  'get_config',
                  'if is_gguf or file_or_path_exists(',
                ],
                [
                  `${PKG}/transformers_utils/config.py`,
                  412,
                  'file_or_path_exists',
                  'cached_filepath = try_to_load_from_cache(',
                ],
                [HF_VALIDATORS, 106, '_inner_fn', 'validate_repo_id(arg_value)'],
              ]
            : [[`${PKG}/transformers_utils/config.py`, 552, 'get_config', 'raise ValueError(']],
        ),
        ...cause,
        '',
        'The above exception was the direct cause of the following exception:',
        '',
      ]
    : [];
  return prefixAll(`(APIServer pid=${pids.api}) `, [
    ...causeLines,
    'Traceback (most recent call last):',
    ...renderFrames([...CLI_FRAMES, ...tail]),
    ...error,
  ]);
}

export type EngineFailure = 'mm-budget' | 'mamba-block' | 'oom' | 'free-memory' | 'nccl';

function engineFrames(kind: EngineFailure): Frame[] {
  const init: Frame[] = [
    [`${PKG}/v1/engine/core.py`, 699, 'run_engine_core', 'engine_core = EngineCoreProc(*args, **kwargs)'],
    [`${PKG}/v1/engine/core.py`, 498, '__init__', 'super().__init__(vllm_config, executor_class, log_stats,'],
  ];
  const executor: Frame[] = [
    [`${PKG}/v1/engine/core.py`, 83, '__init__', 'self.model_executor = executor_class(vllm_config)'],
    [`${PKG}/v1/executor/abstract.py`, 54, '__init__', 'self._init_executor()'],
    [`${PKG}/v1/executor/uniproc_executor.py`, 54, '_init_executor', 'self.collective_rpc("init_device")'],
    [
      `${PKG}/v1/executor/uniproc_executor.py`,
      83,
      'collective_rpc',
      'return [run_method(self.driver_worker, method, args, kwargs)]',
    ],
    [`${PKG}/v1/worker/worker_base.py`, 324, 'init_device', 'self.worker.init_device()  # type: ignore'],
  ];
  switch (kind) {
    case 'mm-budget':
      return [
        ...init,
        ...executor,
        [
          `${PKG}/v1/worker/gpu_worker.py`,
          239,
          'init_device',
          'self.model_runner: GPUModelRunner = GPUModelRunner(',
        ],
        [
          `${PKG}/v1/worker/gpu_model_runner.py`,
          352,
          '__init__',
          'encoder_compute_budget, encoder_cache_size = compute_encoder_budget(',
        ],
        [
          `${PKG}/v1/core/encoder_cache_manager.py`,
          262,
          'compute_encoder_budget',
          ') = _compute_encoder_budget_multimodal(',
        ],
        [
          `${PKG}/v1/core/encoder_cache_manager.py`,
          309,
          '_compute_encoder_budget_multimodal',
          'raise ValueError(',
        ],
      ];
    case 'free-memory':
      return [
        ...init,
        ...executor,
        [
          `${PKG}/v1/worker/gpu_worker.py`,
          201,
          'init_device',
          'self.requested_memory = request_memory(init_snapshot, self.cache_config)',
        ],
        [`${PKG}/v1/worker/utils.py`, 257, 'request_memory', 'raise ValueError('],
      ];
    case 'oom':
    case 'nccl':
      return [
        ...init,
        [`${PKG}/v1/engine/core.py`, 83, '__init__', 'self.model_executor = executor_class(vllm_config)'],
        [`${PKG}/v1/executor/abstract.py`, 54, '__init__', 'self._init_executor()'],
        [`${PKG}/v1/executor/uniproc_executor.py`, 56, '_init_executor', 'self.collective_rpc("load_model")'],
        [
          `${PKG}/v1/worker/gpu_worker.py`,
          259,
          'load_model',
          'self.model_runner.load_model(eep_scale_up=eep_scale_up)',
        ],
        [`${PKG}/v1/worker/gpu_model_runner.py`, 2633, 'load_model', 'self.model = model_loader.load_model('],
        [
          `${PKG}/model_executor/model_loader/base_loader.py`,
          55,
          'load_model',
          'self.load_weights(model, model_config)',
        ],
        [
          `${PKG}/model_executor/model_loader/default_loader.py`,
          300,
          'load_weights',
          'loaded_weights = model.load_weights(',
        ],
        ...(kind === 'oom'
          ? ([
              [
                '/usr/local/lib/python3.12/dist-packages/torch/utils/_device.py',
                103,
                '__torch_function__',
                'return func(*args, **kwargs)',
              ],
            ] as Frame[])
          : []),
      ];
    case 'mamba-block':
      return [
        ...init,
        [`${PKG}/v1/engine/core.py`, 92, '__init__', 'self._initialize_kv_caches(vllm_config)'],
        [
          `${PKG}/v1/engine/core.py`,
          199,
          '_initialize_kv_caches',
          'kv_cache_configs = get_kv_cache_configs(vllm_config, kv_cache_specs,',
        ],
        [
          `${PKG}/v1/core/kv_cache_utils.py`,
          1243,
          'get_kv_cache_configs',
          'check_enough_kv_cache_memory(vllm_config, kv_cache_spec_one_worker,',
        ],
        [
          `${PKG}/v1/core/kv_cache_utils.py`,
          702,
          'check_enough_kv_cache_memory',
          'assert block_size <= max_num_batched_tokens, (',
        ],
      ];
  }
}

const API_WAIT_FRAMES: Frame[] = [
  ...ENGINE_CLIENT_FRAMES,
  [
    `${PKG}/entrypoints/openai/api_server.py`,
    225,
    'build_async_engine_client_from_engine_args',
    'async_llm = AsyncLLM.from_vllm_config(',
  ],
  [`${PKG}/v1/engine/async_llm.py`, 223, 'from_vllm_config', 'return cls('],
  [
    `${PKG}/v1/engine/async_llm.py`,
    134,
    '__init__',
    'self.engine_core = EngineCoreClient.make_async_mp_client(',
  ],
  [`${PKG}/v1/engine/core_client.py`, 102, 'make_async_mp_client', 'return AsyncMPClient(*client_args)'],
  [`${PKG}/v1/engine/core_client.py`, 769, '__init__', 'super().__init__('],
  [
    `${PKG}/v1/engine/core_client.py`,
    448,
    '__init__',
    'with launch_core_engines(vllm_config, executor_class,',
  ],
  ['/usr/lib/python3.12/contextlib.py', 144, '__exit__', 'next(self.gen)'],
  [`${PKG}/v1/engine/utils.py`, 729, 'launch_core_engines', 'wait_for_engine_startup('],
  [`${PKG}/v1/engine/utils.py`, 782, 'wait_for_engine_startup', 'raise RuntimeError('],
];

/**
 * Engine core fails during init: its logged traceback, the multiprocessing traceback of the dead
 * process, then the API server's "Engine core initialization failed" (the process then exits 1).
 */
export function engineInitFailure(pids: Pids, d: Date, kind: EngineFailure, error: string[]): string[] {
  const frames = renderFrames(engineFrames(kind));
  const logged = (l: string): string => engineLine(pids, d, 'core.py:708', l, 'ERROR');
  const ep = `(EngineCore_DP0 pid=${pids.engine}) `;
  return [
    logged('EngineCore failed to start.'),
    logged('Traceback (most recent call last):'),
    ...frames.map(logged),
    ...error.map(logged),
    `${ep}Process EngineCore_DP0:`,
    `${ep}Traceback (most recent call last):`,
    ...prefixAll(ep, [
      '  File "/usr/lib/python3.12/multiprocessing/process.py", line 314, in _bootstrap',
      '    self.run()',
      '  File "/usr/lib/python3.12/multiprocessing/process.py", line 108, in run',
      '    self._target(*self._args, **self._kwargs)',
      `  File "${PKG}/v1/engine/core.py", line 712, in run_engine_core`,
      '    raise e',
      ...frames,
      ...error,
    ]),
    ...prefixAll(`(APIServer pid=${pids.api}) `, [
      'Traceback (most recent call last):',
      ...renderFrames([...CLI_FRAMES, ...API_WAIT_FRAMES]),
      'RuntimeError: Engine core initialization failed. See root cause above. Failed core proc(s): {}',
    ]),
  ];
}

/** A peer Spark vanished: NCCL's watchdog on rank 0, then the engine's death (loading or serving). */
export function peerLostLines(pids: Pids, d: Date, peer: string, loading: boolean, ray: boolean): string[] {
  const ep = `(EngineCore_DP0 pid=${pids.engine}) `;
  const ts = `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}000`;
  const nccl = [
    `${ep}[rank0]:[E${ts} ProcessGroupNCCL.cpp:1985] [PG ID 0 PG GUID 0(default_pg) Rank 0] Process group watchdog thread terminated with exception: NCCL error: remote process exited or there was a network error, NCCL version 2.27.3`,
    `${ep}ncclRemoteError: A call failed possibly due to a network error or a remote process exiting prematurely.`,
    `${ep}Last error:`,
    `${ep}socketProgress: Connection closed by remote peer ${peer}<43172>`,
  ];
  const died = ray
    ? engineLine(
        pids,
        d,
        'ray_executor.py:506',
        `ray.exceptions.ActorDiedError: The actor died unexpectedly before finishing this task. (node ${peer} lost)`,
        'ERROR',
      )
    : engineLine(
        pids,
        d,
        'multiproc_executor.py:154',
        'Worker proc VllmWorker-1 died unexpectedly, shutting down executor.',
        'ERROR',
      );
  if (loading) {
    return [
      ...nccl,
      died,
      ...engineInitFailure(pids, d, 'nccl', [
        'torch.distributed.DistBackendError: NCCL error in: /pytorch/torch/csrc/distributed/c10d/NCCLUtils.hpp:268, remote process exited or there was a network error, NCCL version 2.27.3',
      ]),
    ];
  }
  return [
    ...nccl,
    died,
    engineLine(pids, d, 'core.py:790', 'EngineCore encountered a fatal error.', 'ERROR'),
    `${ep}RuntimeError: NCCL communicator was aborted on rank 0 (peer ${peer} lost).`,
    apiLine(pids, d, 'async_llm.py:480', 'AsyncLLM output_handler failed.', 'ERROR'),
    `(APIServer pid=${pids.api}) vllm.v1.engine.exceptions.EngineDeadError: EngineCore encountered an issue. See stack trace (above) for the root cause.`,
    uvicornLine(pids, 'Shutting down'),
    uvicornLine(pids, 'Waiting for application shutdown.'),
    uvicornLine(pids, 'Application shutdown complete.'),
    uvicornLine(pids, `Finished server process [${pids.api}]`),
  ];
}
