// The containers a fresh simulated cluster runs, as on the reference setup: the head node has
// spark-vllm-docker's `vllm_node` (idling on `sleep infinity`, vLLM exec'd into it); the second
// node runs the speech services. Their HTTP fakes come in a later issue; here they are records.
import type { ContainerSpec } from './containers.js';
import type { VllmEngine } from './vllm/engine.js';

const PARAKEET_MIB = 3584;
const MAGPIE_MIB = 2867;

export function vllmNodeSpec(engine: VllmEngine, home: string): ContainerSpec {
  let lastModel: string | null = null;
  return {
    name: 'vllm_node',
    image: 'vllm-node',
    command: ['sleep', 'infinity'],
    privileged: true,
    binds: [`${home}/.cache/huggingface:/root/.cache/huggingface`],
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'NVIDIA_VISIBLE_DEVICES=all'],
    gpu: { process: 'VLLM::EngineCore', mib: () => engine.gpuMiB() },
    // `sleep infinity` as PID 1 ignores SIGTERM, so docker stop ends in SIGKILL.
    stopExitCode: 137,
    stopDelayMs: 1500,
    onStop: () => {
      lastModel = engine.model;
      engine.stop();
    },
    // v1 simplification: the container's start brings the last served model back up (as if its
    // command were `vllm serve`); the launcher shim will own `exec vllm serve` later.
    onStart: () => {
      if (lastModel) void engine.load(lastModel);
    },
  };
}

export function speechSpecs(): ContainerSpec[] {
  return [
    {
      name: 'parakeet-asr',
      image: 'parakeet-asr:latest',
      command: ['python3', '-m', 'uvicorn', 'server:app', '--host', '0.0.0.0', '--port', '8000'],
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
export function speechLog(name: string): string[] {
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
