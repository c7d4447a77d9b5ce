// The audio pipeline module in one call for buildApp (SPEC §10): the Parakeet audio client, the
// global GPU cap, the results store and its retention sweep, the routes (and the speaker
// library's, in the same multipart-accepting scope), and their shutdown.
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config/types.js';
import type { JobRunnerApi } from '../../platform/jobs/types.js';
import type { Db } from '../../platform/store/db.js';
import type { AdminAuth } from '../auth/service.js';
import type { ConnectivityLog } from '../connectivity/log.js';
import { findFfmpeg } from '../gateway/speech/ffmpeg.js';
import type { StatusService } from '../health/status-service.js';
import type { EnrolledVoice } from './core/speaker-match.js';
import { audioAccessHook } from './access.js';
import { GpuSlots } from './gpu-slots.js';
import { LongRuns } from './long-runs.js';
import { createParakeetAudioClient } from './parakeet-client.js';
import { AudioResultsStore } from './results-store.js';
import { audioRoutes } from './routes.js';
import { AudioService } from './service.js';
import { speakerRoutes } from './speakers/routes.js';
import { SpeakerStore } from './speakers/store.js';
import { acceptAudioMultipart, receiveAudioUpload, resetAudioTmp } from './upload.js';

export interface AudioModuleDeps {
  config: AppConfig;
  db: Db;
  runner: JobRunnerApi;
  status: StatusService;
  connectivity: ConnectivityLog;
  /** Deep health's hook: probe (and maybe restart) Parakeet now. */
  onSpeechFailure?: (service: 'parakeet' | 'magpie') => void;
  /** The GPU cap, when the app shares it with the gateway's /v1/audio/transcriptions. */
  gpu?: GpuSlots;
  /** The admin login, so a dashboard session passes the API-key rule of the data routes. */
  admin?: AdminAuth;
  /** How often expired results are deleted (default hourly). */
  sweepIntervalMs?: number;
}

export interface AudioModule {
  gpu: GpuSlots;
  results: AudioResultsStore;
}

export async function audioModule(app: FastifyInstance, d: AudioModuleDeps): Promise<AudioModule> {
  const settings = () => d.config.audio;
  const tmpDir = join(d.config.data_dir, 'audio-tmp');
  resetAudioTmp(tmpDir);
  const gpu = d.gpu ?? new GpuSlots({ capacity: settings().gpu_concurrency });
  const results = new AudioResultsStore(d.db, { retentionMs: settings().result_retention_h * 3_600_000 });
  const client = createParakeetAudioClient({
    baseUrl: () => d.status.endpoints().parakeet.base_url,
    onFailure: () => {
      app.log.warn({ service: 'parakeet' }, 'parakeet failed an audio pipeline request; probing it now');
      d.connectivity.reportGatewayFailure('parakeet');
      void d.status.refresh(); // never rejects: every failed probe becomes a state
      d.onSpeechFailure?.('parakeet');
    },
  });
  // The speaker library's voices name matching speakers.
  const speakers = new SpeakerStore(d.db);
  const enrolledVoices = (): EnrolledVoice[] => speakers.voices();
  const runs = new LongRuns({ limit: settings().max_long_runs });
  const service = new AudioService({ client, gpu, runs, settings, enrolledVoices });

  await app.register(async (scope) => {
    acceptAudioMultipart(scope);
    scope.addHook('onRequest', audioAccessHook({ apiKeys: d.config.api_keys, admin: d.admin ?? null }));
    await audioRoutes(scope, {
      service,
      client,
      gpu,
      results,
      runner: d.runner,
      maxBytes: () => Math.round(settings().max_upload_mb * 1024 * 1024),
      longThresholdS: () => settings().long_audio_threshold_s,
      tmpDir,
      ffmpeg: () => findFfmpeg(d.config.gateway.ffmpeg_path),
      diarizerMissing: () =>
        d.config.services.parakeet?.api === 'nim'
          ? 'Diarization needs the Parakeet app (services.parakeet.api: parakeet-app); an ASR NIM has no diarizer.'
          : null,
    });
    await speakerRoutes(scope, {
      store: speakers,
      client,
      gpu,
      upload: receiveAudioUpload,
      results,
      maxUploadBytes: Math.round(settings().max_upload_mb * 1024 * 1024),
      uploadDir: tmpDir,
      matchThreshold: settings().speaker_match_threshold,
    });
  });

  const sweep = setInterval(() => {
    try {
      results.sweep();
    } catch (err) {
      app.log.warn({ err }, 'could not delete expired audio results');
    }
  }, d.sweepIntervalMs ?? 3_600_000);
  sweep.unref();
  app.addHook('onClose', async () => {
    clearInterval(sweep);
    await client.close();
  });
  return { gpu, results };
}
