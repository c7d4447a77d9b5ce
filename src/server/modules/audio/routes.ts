// The audio pipeline's routes (SPEC §10): diarized transcription of any length (synchronous, or a
// job with `?async=1`), the per-chunk diarizer relay, and async results. Every upload lives in its
// own temp dir that is removed whatever ends the request — or, for a job, when the job ends.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AudioJobAccepted, SpeakersTranscript } from '../../../common/audio-api.js';
import { AppError, isAppError } from '../../platform/http/errors.js';
import { JOB_ID_PATTERN } from '../../platform/jobs/ids.js';
import type { JobContext, JobRunnerApi } from '../../platform/jobs/types.js';
import { renderTranscript } from './core/formats.js';
import { inspectAudio, materializeAudio, type InspectedAudio } from './decode.js';
import { parseTranscribeForm, transcriptFormat, type TranscribeForm } from './form.js';
import type { GpuSlots } from './gpu-slots.js';
import { toClientError, type ParakeetAudioClient } from './parakeet-client.js';
import type { AudioResultsStore } from './results-store.js';
import type { AudioService } from './service.js';
import { receiveAudioUpload, type AudioUpload } from './upload.js';

export const AUDIO_JOB_KIND = 'audio-transcription';

export interface AudioRoutesDeps {
  service: AudioService;
  client: ParakeetAudioClient;
  gpu: GpuSlots;
  results: AudioResultsStore;
  runner: JobRunnerApi;
  maxBytes: () => number;
  longThresholdS: () => number;
  /** Where upload temp dirs are made. */
  tmpDir: string;
  /** The ffmpeg on this host (gateway.ffmpeg_path or PATH), null when none. */
  ffmpeg: () => string | null;
  /** Why the ASR service cannot diarize (an ASR NIM), or null when it can. */
  diarizerMissing: () => string | null;
}

const tags = ['audio'];

/** Aborted when the client goes away before its answer was sent. */
function abortOnClose(reply: FastifyReply): AbortController {
  const ac = new AbortController();
  const res = reply.raw;
  const onClose = () => {
    if (!res.writableFinished) ac.abort(new Error('the client went away'));
  };
  if (res.destroyed) onClose();
  else res.once('close', onClose);
  return ac;
}

/** What a request that lost its client ends with: a 400 nobody reads, never a logged 500. */
const gone = () => new AppError('BAD_REQUEST', 'The client closed the connection; the work was stopped.');

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes)$/i.test(v.trim());

export async function audioRoutes(fastify: FastifyInstance, d: AudioRoutesDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const upload = (req: Parameters<typeof receiveAudioUpload>[0]) =>
    receiveAudioUpload(req, { maxBytes: d.maxBytes(), dir: d.tmpDir });
  const ready = () => {
    // A 400, not a 503: no retry helps while the deployment has no diarizer (issue 10, item 6).
    const why = d.diarizerMissing();
    if (why) throw new AppError('BAD_REQUEST', why);
  };

  /**
   * The job's work: decode if needed, chunks with progress, the result stored; at the end its
   * place among the long runs given back (`leave`) and its temp dir removed.
   */
  const runJob = async (
    ctx: JobContext,
    up: AudioUpload,
    inspected: InspectedAudio,
    form: TranscribeForm,
    leave: () => void,
  ) => {
    try {
      ctx.setPhase('Preparing the audio');
      const audio = await materializeAudio(up.file, inspected, { workDir: up.dir, signal: ctx.signal });
      const total = d.service.plan(audio).length;
      ctx.setMeta({ duration_s: Math.round(audio.durationS * 10) / 10, chunks: total });
      ctx.setPhase(`0/${total} chunks done`);
      ctx.setProgress(0);
      ctx.log(
        `${up.file.filename}: ${Math.round(audio.durationS)} s of ${audio.container}, ${total} chunk(s)`,
      );
      const outcome = await d.service.transcribe({
        audio,
        language: form.language,
        minSpeakers: form.minSpeakers,
        maxSpeakers: form.maxSpeakers,
        workDir: up.dir,
        signal: ctx.signal,
        slot: 'wait',
        onChunk: (done, all, span) => {
          ctx.setProgress(done / all);
          ctx.setPhase(`${done}/${all} chunks done`);
          ctx.log(`chunk ${span.index + 1}/${all} done (${done}/${all})`);
        },
        onRetry: (span, why) => ctx.log(`chunk ${span.index + 1} failed (${why}); trying it once more`),
      });
      d.results.saveSucceeded(ctx.id, outcome.transcript, outcome.centroids);
      ctx.log(
        `${outcome.transcript.speakers_detected.length} speaker(s), ${outcome.transcript.segments.length} block(s)`,
      );
    } catch (err) {
      if (!ctx.signal.aborted) {
        const e = isAppError(err) ? err : null;
        d.results.saveFailed(
          ctx.id,
          e?.code ?? 'INTERNAL',
          e?.message ?? 'The transcription failed (internal error).',
        );
      }
      throw err;
    } finally {
      leave();
      await up.cleanup();
    }
  };

  app.post(
    '/api/audio/transcribe-with-speakers',
    {
      schema: {
        summary:
          'Diarized transcription of any length (multipart `file`, `language`, `min_speakers`, `max_speakers`, `response_format`); `?async=1` runs it as a job',
        tags,
        querystring: Type.Object({
          async: Type.Optional(Type.String({ maxLength: 8, description: '1: answer 202 with a job id' })),
        }),
      },
    },
    async (req, reply) => {
      ready();
      const up = await upload(req);
      let handedOver = false;
      /**
       * A place among the long runs — a job's, or a long compressed upload's taken before decoding
       * — given back here when no job took it over (once-only: transcribe may have given it back).
       */
      let leave: (() => void) | null = null;
      try {
        const form = parseTranscribeForm(up.fields);
        const async = truthy(req.query.async);
        const inspected = await inspectAudio(up.file, {
          ffmpeg: d.ffmpeg(),
          longThresholdS: d.longThresholdS(),
          statedDuration: !async,
        });
        if (async) {
          // Admitted before the job exists: over audio.max_long_runs the client gets a 503 and no
          // job id, and the upload goes with this request.
          const admitted = d.service.admitJob();
          leave = admitted;
          const job = d.runner.start({
            kind: AUDIO_JOB_KIND,
            locks: [],
            title: 'an audio transcription',
            meta: { filename: up.file.filename.slice(0, 200), bytes: up.file.bytes },
            run: (ctx) => runJob(ctx, up, inspected, form, admitted),
          });
          handedOver = true;
          const accepted: AudioJobAccepted = { job_id: job.id, result_url: `/api/audio/results/${job.id}` };
          return reply.code(202).send(accepted);
        }
        // A compressed file whose headers state a long duration is admitted before ffmpeg runs:
        // over audio.max_long_runs the 503 comes at once instead of after seconds of decoding. If
        // the decoded audio turns out short, the place is simply given back at the end.
        if (inspected.kind === 'decode' && (inspected.statedS ?? 0) > d.longThresholdS())
          leave = d.service.admitJob();
        const ac = abortOnClose(reply);
        let transcript: SpeakersTranscript;
        try {
          const audio = await materializeAudio(up.file, inspected, { workDir: up.dir, signal: ac.signal });
          ({ transcript } = await d.service.transcribe({
            audio,
            language: form.language,
            minSpeakers: form.minSpeakers,
            maxSpeakers: form.maxSpeakers,
            workDir: up.dir,
            signal: ac.signal,
            slot: 'try',
            admitted: leave ?? undefined,
          }));
        } catch (err) {
          throw ac.signal.aborted ? gone() : err;
        }
        const out = renderTranscript(transcript, form.format);
        // Returned, not sent: the answer goes out after `finally` removed the temp dir.
        reply.type(out.contentType);
        return out.body;
      } finally {
        if (!handedOver) {
          leave?.();
          await up.cleanup();
        }
      }
    },
  );

  app.post(
    '/api/audio/diarize-chunk',
    {
      schema: {
        summary:
          "Relay to the Parakeet worker's diarize-chunk (multipart `file`): turns, confidence, 192-float fingerprints",
        tags,
      },
    },
    async (req, reply) => {
      ready();
      const up = await upload(req);
      try {
        const release = d.gpu.tryAcquire();
        const ac = abortOnClose(reply);
        try {
          const { status, body } = await d.client.relayDiarizeChunk(up.file.path, {
            filename: up.file.filename,
            signal: ac.signal,
          });
          reply.code(status);
          return body;
        } catch (err) {
          throw ac.signal.aborted ? gone() : toClientError(err, 'Diarization');
        } finally {
          release();
        }
      } finally {
        await up.cleanup();
      }
    },
  );

  app.get(
    '/api/audio/results/:id',
    {
      schema: {
        summary: 'The result of an async transcription job (`?response_format=json|srt|vtt|text`)',
        tags,
        params: Type.Object({ id: Type.String({ pattern: JOB_ID_PATTERN }) }),
        querystring: Type.Object({ response_format: Type.Optional(Type.String({ maxLength: 16 })) }),
      },
    },
    async (req, reply) => {
      const format = transcriptFormat(req.query.response_format);
      const { id } = req.params;
      const stored = d.results.get(id);
      if (stored?.status === 'succeeded') {
        const out = renderTranscript(stored.transcript, format);
        return reply.type(out.contentType).send(out.body);
      }
      if (stored?.status === 'failed') throw new AppError(stored.error.code, stored.error.message);
      const job = d.runner.get(id);
      if (!job || job.kind !== AUDIO_JOB_KIND)
        throw new AppError('NOT_FOUND', `No audio transcription ${id}.`);
      if (job.state === 'running') {
        const pct = job.progress === null ? '' : ` (${Math.round(job.progress * 100)} %)`;
        throw new AppError(
          'CONFLICT',
          `The transcription is still running: ${job.phase}${pct}. Follow /api/jobs/${id}/stream.`,
        );
      }
      if (job.state === 'cancelled')
        throw new AppError('CONFLICT', 'The transcription was cancelled; it has no result.');
      if (job.state === 'interrupted')
        throw new AppError(
          'CONFLICT',
          'The transcription was interrupted by a restart of Spark Control; send it again.',
        );
      throw new AppError('NOT_FOUND', `The result of ${id} is no longer kept (audio.result_retention_h).`);
    },
  );
}
