// The containers a fresh simulated cluster runs, as on the reference setup: the head node has
// spark-vllm-docker's `vllm_node` (idling on `sleep infinity`, vLLM exec'd into it by
// launch-cluster.sh); the second node (or the only one) runs the speech services, whose HTTP
// fakes (speech/) follow these containers' state.
import type { ContainerSpec } from './containers.js';
import type { VllmEngine } from './vllm/engine.js';

const PARAKEET_MIB = 3584;
const MAGPIE_MIB = 2867;

export interface VllmNodeOptions {
  /** What the launcher runs as PID 1 (`sleep infinity`); vLLM is exec'd into the container. */
  command?: string[];
  env?: string[];
  binds?: string[];
  imageId?: string;
}

/**
 * spark-vllm-docker's container: `docker run -d --rm --privileged --gpus all --ipc=host --network
 * host --name vllm_node … vllm-node sleep infinity`. Starting it loads nothing; the GPU process is
 * whatever share of a model the engine has placed on this node. Stopping it kills the vLLM
 * process inside, and `--rm` removes the record.
 */
export function vllmNodeSpec(
  engine: VllmEngine,
  node: string,
  home: string,
  o: VllmNodeOptions = {},
): ContainerSpec {
  return {
    name: 'vllm_node',
    image: 'vllm-node',
    imageId: o.imageId,
    command: o.command ?? ['sleep', 'infinity'],
    privileged: true,
    autoRemove: true,
    binds: o.binds ?? [`${home}/.cache/huggingface:/root/.cache/huggingface`],
    env: o.env ?? [
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'NVIDIA_VISIBLE_DEVICES=all',
    ],
    gpu: { process: 'VLLM::EngineCore', mib: () => engine.gpuMiB(node) },
    // `sleep infinity` as PID 1 ignores SIGTERM, so docker stop ends in SIGKILL.
    stopExitCode: 137,
    stopDelayMs: 1500,
    startDelayMs: 400,
    onStop: () => engine.containerStopped(node),
  };
}

/** The NVIDIA ASR NIM image a `parakeetApi: 'nim'` cluster runs as `parakeet-asr`. */
export const PARAKEET_NIM_IMAGE = 'nvcr.io/nim/nvidia/parakeet-1-1b-ctc-en-us:latest';

export function speechSpecs(parakeetApi: 'parakeet-app' | 'nim' = 'parakeet-app'): ContainerSpec[] {
  const nim = parakeetApi === 'nim';
  return [
    {
      name: 'parakeet-asr',
      image: nim ? PARAKEET_NIM_IMAGE : 'parakeet-asr:latest',
      command: nim
        ? ['/opt/nvidia/nvidia_entrypoint.sh', '/opt/nim/start_server.sh']
        : ['python3', '-m', 'uvicorn', 'server:app', '--host', '0.0.0.0', '--port', '8000'],
      restartPolicy: 'unless-stopped',
      gpu: { process: 'python3', mib: () => PARAKEET_MIB },
      stopDelayMs: 800,
    },
    {
      name: 'magpie-tts',
      image: 'nvcr.io/nim/nvidia/magpie-tts-multilingual:latest',
      command: ['/opt/nvidia/nvidia_entrypoint.sh', '/opt/nim/start_server.sh'],
      restartPolicy: 'unless-stopped',
      gpu: { process: 'tritonserver', mib: () => MAGPIE_MIB },
      stopDelayMs: 1200,
      startDelayMs: 600,
    },
  ];
}

/** Plausible first lines of each speech container's stdout. */
export function speechLog(name: string, parakeetApi: 'parakeet-app' | 'nim' = 'parakeet-app'): string[] {
  if (name === 'parakeet-asr' && parakeetApi === 'nim') {
    return [
      '== NVIDIA Inference Microservice Riva ASR (parakeet-1-1b-ctc-en-us) ==',
      'INFO: Selected profile for parakeet-1-1b-ctc-en-us on GB10 (mode=ofl)',
      'INFO: Triton server started; gRPC on 0.0.0.0:50051',
      'INFO:     Uvicorn running on http://0.0.0.0:9000 (Press CTRL+C to quit)',
    ];
  }
  if (name === 'parakeet-asr') {
    return [
      'INFO:     Started server process [1]',
      'INFO:     Waiting for application startup.',
      '[NeMo I] Loading ASR model nvidia/parakeet-tdt-0.6b-v2',
      '[NeMo I] Loading diarization model nvidia/diar_sortformer_4spk-v1',
      'INFO:     Application startup complete.',
      'INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)',
    ];
  }
  return [
    '===========================',
    '== NVIDIA Inference Microservice Magpie TTS Multilingual ==',
    '===========================',
    'INFO: Selected profile for Magpie-Multilingual on GB10',
    'INFO: Triton server started; gRPC on 0.0.0.0:50051',
    'INFO:     Uvicorn running on http://0.0.0.0:9000 (Press CTRL+C to quit)',
  ];
}
