import { VersionInfo } from '@start9labs/start-sdk';

export const v0_1_0 = VersionInfo.of({
  version: '0.1.0:0',
  releaseNotes:
    'First release of Spark Control on StartOS: hardware and connectivity of every Spark, model swaps, downloads, speech services with deep health checks, the OpenAI-compatible gateway (/v1), audio pipeline, redaction gateway, Wake-on-LAN, Prometheus metrics. Configure with "Configure Sparks"; authorize the control plane on each Spark with "Show public key".',
  migrations: {},
});
