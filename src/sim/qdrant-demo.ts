// The demo collection the fake Qdrant starts with: short notes about running LLMs on DGX Spark,
// each embedded by the fake embeddings server's own function (embeddings.ts), so a search through
// the real embeddings relay finds true nearest neighbours. `topic` and `level` give filters
// something to match (`match.value`, `match.any`, `range`).
import { embed } from './embeddings.js';

export const DEMO_COLLECTION = 'demo-docs';

export interface DemoDoc {
  title: string;
  text: string;
  source: string;
  topic: 'hardware' | 'serving' | 'models' | 'audio' | 'ops' | 'search';
  level: 1 | 2 | 3;
}

const d = (topic: DemoDoc['topic'], level: DemoDoc['level'], title: string, text: string): DemoDoc => ({
  title,
  text,
  source: `docs/${topic}.md`,
  topic,
  level,
});

export const DEMO_DOCS: readonly DemoDoc[] = [
  d(
    'hardware',
    1,
    'Unified memory',
    'The GB10 superchip shares 128 GB of unified memory between CPU and GPU.',
  ),
  d(
    'hardware',
    1,
    'nvidia-smi memory',
    'On a DGX Spark nvidia-smi reports memory.used as N/A; read /proc/meminfo instead.',
  ),
  d(
    'hardware',
    2,
    'QSFP link',
    'Two Sparks connect through the ConnectX-7 QSFP port at 200 Gbit/s for tensor parallel runs.',
  ),
  d(
    'hardware',
    1,
    'Power draw',
    'A busy Spark draws about 240 watts; the GPU power reading comes from nvidia-smi.',
  ),
  d(
    'hardware',
    2,
    'Thermals',
    'GPU temperature above 85 degrees throttles clocks; keep the vents clear of dust.',
  ),
  d(
    'hardware',
    1,
    'Wake on LAN',
    'A sleeping Spark wakes with a magic packet sent to its MAC address on the local network.',
  ),
  d(
    'hardware',
    3,
    'Disk space',
    'Model weights fill the NVMe quickly; a 70B model in FP8 needs about 70 GB of disk.',
  ),
  d(
    'serving',
    1,
    'vLLM server',
    'vLLM serves an OpenAI compatible API with continuous batching and paged attention.',
  ),
  d(
    'serving',
    2,
    'GPU memory utilization',
    'Set gpu-memory-utilization to 0.7 on a Spark so the head node keeps memory for the system.',
  ),
  d('serving', 2, 'Tensor parallel', 'Tensor parallel size 2 splits one model across both Sparks over Ray.'),
  d(
    'serving',
    3,
    'Ray cluster',
    'The head node runs ray start --head and the worker joins with its address before vLLM starts.',
  ),
  d('serving', 1, 'Streaming', 'Chat completions stream server sent events chunk by chunk until data DONE.'),
  d(
    'serving',
    2,
    'Max model length',
    'A shorter max-model-len frees KV cache memory for more concurrent requests.',
  ),
  d(
    'serving',
    3,
    'Tool calling',
    'Enable auto tool choice and pick the hermes tool call parser for Qwen models.',
  ),
  d(
    'serving',
    2,
    'Prefix caching',
    'Prefix caching reuses the KV cache of a shared system prompt across requests.',
  ),
  d(
    'models',
    1,
    'Model swap',
    'A swap stops the running model, launches the next one and waits until it answers.',
  ),
  d('models', 2, 'FP8 weights', 'FP8 quantization halves the memory of a model with little loss of quality.'),
  d('models', 2, 'NVFP4', 'NVFP4 is the four bit floating point format Blackwell GPUs run natively.'),
  d(
    'models',
    1,
    'Hugging Face cache',
    'Downloaded weights live in the Hugging Face cache under models, blobs and snapshots.',
  ),
  d(
    'models',
    3,
    'Gated models',
    'Gated repositories need an HF token with access granted on the model page.',
  ),
  d(
    'models',
    2,
    'Mixture of experts',
    'A mixture of experts model like Qwen3 30B A3B activates only 3B parameters per token.',
  ),
  d(
    'models',
    1,
    'Model catalog',
    'The catalog lists each model with its size, capabilities and launch flags.',
  ),
  d('audio', 1, 'Parakeet transcription', 'Parakeet transcribes speech to text with word timestamps.'),
  d(
    'audio',
    2,
    'Speaker diarization',
    'Sortformer diarization labels who spoke when, up to four speakers per chunk.',
  ),
  d('audio', 1, 'Magpie speech', 'Magpie turns text into speech in many voices and languages.'),
  d(
    'audio',
    3,
    'Speaker fingerprints',
    'TitaNet fingerprints are 192 float vectors compared with cosine similarity.',
  ),
  d(
    'audio',
    2,
    'Long recordings',
    'Recordings longer than ten minutes are split into chunks and clustered globally.',
  ),
  d('ops', 1, 'Health checks', 'Deep health sends a real request to each service and restarts a wedged one.'),
  d(
    'ops',
    2,
    'Launcher updates',
    'Updates of spark-vllm-docker pull the repository and rebuild the vllm-node image.',
  ),
  d(
    'ops',
    1,
    'API keys',
    'Gateway API keys protect the OpenAI endpoint with a bearer token per application.',
  ),
  d('ops', 2, 'Same origin guard', 'Control endpoints refuse requests whose Origin header is another site.'),
  d('ops', 3, 'SSH keys', 'The control plane talks to every Spark over SSH with its own ed25519 key.'),
  d(
    'ops',
    2,
    'Prometheus metrics',
    'The metrics endpoint exports hardware, service health and gateway latency.',
  ),
  d('ops', 1, 'GPU lock', 'The GPU lock lets one job at a time use the GPU, such as a swap or a benchmark.'),
  d(
    'search',
    1,
    'Embeddings',
    'An embedding model turns text into a vector so similar texts land close together.',
  ),
  d(
    'search',
    2,
    'Qdrant collections',
    'Qdrant stores vectors with a payload in collections and searches them by cosine similarity.',
  ),
  d(
    'search',
    2,
    'Payload filters',
    'A filter with must, should and must_not narrows a vector search by payload fields.',
  ),
  d(
    'search',
    3,
    'Score threshold',
    'A score threshold drops results whose similarity is below the given value.',
  ),
  d(
    'search',
    1,
    'Redaction',
    'The redaction gateway replaces names and emails with placeholders before the model sees them.',
  ),
  d(
    'search',
    3,
    'Matryoshka dimensions',
    'Matryoshka embeddings can be truncated to fewer dimensions and renormalised.',
  ),
];

export interface DemoPoint {
  id: number;
  vector: Float32Array;
  payload: DemoDoc;
}

/** The demo docs as points (ids from 1), each vector the embedding of the doc's text. */
export function demoPoints(): DemoPoint[] {
  return DEMO_DOCS.map((doc, i) => ({ id: i + 1, vector: embed(doc.text), payload: { ...doc } }));
}
