// The StartOS package's identity: one image (packaging/Dockerfile, both StartOS architectures) and
// one volume, `main`, mounted at /data (the server's DATA_DIR).
import { setupManifest } from '@start9labs/start-sdk';

export const manifest = setupManifest({
  id: 'spark-control',
  title: 'Spark Control',
  // package.json names no license yet; set the project's licence here when it picks one.
  license: 'UNLICENSED',
  packageRepo: 'https://github.com/example/spark-control',
  upstreamRepo: 'https://github.com/example/spark-control',
  marketingUrl: 'https://github.com/example/spark-control',
  donationUrl: null,
  description: {
    short: 'Control plane and OpenAI-compatible gateway for NVIDIA DGX Spark machines',
    long: 'Spark Control watches your DGX Sparks over SSH, swaps the LLM vLLM serves, keeps the speech services (Parakeet ASR, Magpie TTS) healthy and gives every app on your network one OpenAI-compatible URL for chat, speech to text, text to speech and embeddings. Configure your Sparks with the "Configure Sparks" action, then authorize the control plane on each Spark with "Show public key".',
  },
  images: {
    main: {
      // Paths from packaging/startos, where start-cli packs: the repository root is the context.
      source: { dockerBuild: { workdir: '../..', dockerfile: '../Dockerfile' } },
      arch: ['x86_64', 'aarch64'],
    },
  },
  volumes: ['main'],
  dependencies: {},
});
