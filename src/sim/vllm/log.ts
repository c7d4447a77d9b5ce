// vLLM's own log format (v0.10+), so `docker logs vllm_node` on the simulated head reads like the
// real container: `(APIServer pid=N) INFO MM-DD HH:MM:SS [file.py:line] message`, engine-core
// lines prefixed `(EngineCore_DP0 pid=M)`, uvicorn's `INFO:     …` lines.
import type { ModelInfo } from './models.js';

export const VLLM_VERSION = '0.11.1';

export interface Pids {
  api: number;
  engine: number;
}

const two = (n: number): string => String(n).padStart(2, '0');

export function vllmTime(d: Date): string {
  return `${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

export const apiLine = (pids: Pids, d: Date, src: string, msg: string): string =>
  `(APIServer pid=${pids.api}) INFO ${vllmTime(d)} [${src}] ${msg}`;
export const engineLine = (pids: Pids, d: Date, src: string, msg: string): string =>
  `(EngineCore_DP0 pid=${pids.engine}) INFO ${vllmTime(d)} [${src}] ${msg}`;
export const uvicornLine = (pids: Pids, msg: string): string =>
  `(APIServer pid=${pids.api}) INFO:     ${msg}`;

export interface LoadParams {
  model: string;
  info: ModelInfo;
  port: number;
  pids: Pids;
  /** Seconds the load takes in the simulation, printed in the timing lines. */
  seconds: number;
}

/** One burst of log lines, emitted when `at` (0..1) of the load time has passed. */
export interface LogStep {
  at: number;
  lines: (now: Date) => string[];
}

const ROUTES = ['/health', '/metrics', '/version', '/v1/models', '/v1/chat/completions', '/v1/completions'];

export function startupSteps(p: LoadParams): LogStep[] {
  const { model, info, pids } = p;
  const shards = Math.max(1, Math.ceil(info.sizeGb / 5));
  const kvGib = Math.max(4, 0.85 * 119.7 - info.sizeGb * 0.93).toFixed(2);
  const kvTokens = Math.round(Number(kvGib) * 21_845).toLocaleString('en-US');
  const steps: LogStep[] = [
    {
      at: 0,
      lines: (d) => [
        apiLine(pids, d, 'api_server.py:1839', `vLLM API server version ${VLLM_VERSION}`),
        apiLine(
          pids,
          d,
          'utils.py:233',
          `non-default args: {'model_tag': '${model}', 'host': '0.0.0.0', 'port': ${p.port}, 'model': '${model}'}`,
        ),
      ],
    },
    {
      at: 0.05,
      lines: (d) => [
        apiLine(pids, d, 'model.py:547', `Resolved architecture: ${info.architecture}`),
        apiLine(pids, d, 'model.py:1510', `Using max model len ${info.maxModelLen}`),
        apiLine(pids, d, 'scheduler.py:205', 'Chunked prefill is enabled with max_num_batched_tokens=8192.'),
      ],
    },
    {
      at: 0.1,
      lines: (d) => [
        engineLine(pids, d, 'core.py:644', 'Waiting for init message from front-end.'),
        engineLine(
          pids,
          d,
          'core.py:77',
          `Initializing a V1 LLM engine (v${VLLM_VERSION}) with config: model='${model}', tokenizer='${model}', max_seq_len=${info.maxModelLen}, tensor_parallel_size=1, served_model_name=${model}`,
        ),
        engineLine(pids, d, 'gpu_model_runner.py:2602', `Starting to load model ${model}...`),
      ],
    },
  ];
  for (let i = 1; i <= shards; i++) {
    const pct = String(Math.round((i / shards) * 100)).padStart(3);
    steps.push({
      at: 0.15 + (0.5 * i) / shards,
      lines: () => [
        `(EngineCore_DP0 pid=${pids.engine}) Loading safetensors checkpoint shards: ${pct}% Completed | ${i}/${shards} [00:${two(i * 3)}<00:${two((shards - i) * 3)},  3.02s/it]`,
      ],
    });
  }
  const s = (f: number): string => (p.seconds * f).toFixed(2);
  steps.push(
    {
      at: 0.7,
      lines: (d) => [
        engineLine(pids, d, 'default_loader.py:267', `Loading weights took ${s(0.5)} seconds`),
        engineLine(
          pids,
          d,
          'gpu_model_runner.py:2653',
          `Model loading took ${(info.sizeGb * 0.93).toFixed(4)} GiB and ${s(0.55)} seconds`,
        ),
      ],
    },
    {
      at: 0.8,
      lines: (d) => [
        engineLine(pids, d, 'gpu_worker.py:298', `Available KV cache memory: ${kvGib} GiB`),
        engineLine(pids, d, 'kv_cache_utils.py:1087', `GPU KV cache size: ${kvTokens} tokens`),
      ],
    },
    {
      at: 0.9,
      lines: (d) => [
        engineLine(pids, d, 'gpu_model_runner.py:3480', 'Graph capturing finished in 6 secs, took 0.58 GiB'),
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
