// /api/audio/speakers — the speaker library (issue 11 item 4). Enrollment takes either a
// multipart upload (`name` + `file`: the dominant voice of the sample) or JSON (`name`,
// `result_id`, `speaker`: a speaker of a past result). Responses are typed by schema, so a
// fingerprint can never be serialized into one. The routes live in their own scope with the
// multipart parser PIPE's upload reader needs (added only when the parent has none).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { SpeakersList } from '../../../../common/audio-api.js';
import { AppError } from '../../../platform/http/errors.js';
import { toClientError } from '../parakeet-client.js';
import { acceptAudioMultipart, type AudioUploadOptions } from '../upload.js';
import { validateSpeakerName } from './name.js';
import {
  type CentroidLookup,
  type DiarizerClient,
  type GpuSlotTaker,
  type ResultsForgetter,
  type SampleInput,
  SpeakerLibrary,
} from './service.js';
import { notFound, type SpeakerStore } from './store.js';

/** What the routes need of a received upload (PIPE's `AudioUpload`). */
interface ReceivedSample {
  file: { path: string; filename: string; bytes: number };
  fields: Record<string, string>;
  cleanup(): Promise<void>;
}

export interface SpeakerRoutesDeps {
  store: SpeakerStore;
  /** PIPE's Parakeet audio client (only `diarizeChunk` is used). */
  client: DiarizerClient;
  /** PIPE's GpuSlots: enrollment from a sample takes a slot like any GPU-bound request. */
  gpu: GpuSlotTaker;
  /** PIPE's `receiveAudioUpload`. */
  upload: (req: FastifyRequest, o: AudioUploadOptions) => Promise<ReceivedSample>;
  /** PIPE's results store: centroids to enroll from, and what a deleted speaker leaves there. */
  results: CentroidLookup & ResultsForgetter;
  /** `audio.max_upload_mb` in bytes. */
  maxUploadBytes: number;
  /** Where upload temp directories go (PIPE's audio temp root). */
  uploadDir?: string;
  /** `audio.speaker_match_threshold`, shown with the list. */
  matchThreshold: number;
}

const Speaker = Type.Object({
  id: Type.String(),
  name: Type.String(),
  samples: Type.Integer(),
  created_at: Type.String(),
  updated_at: Type.String(),
  sample: Type.Optional(
    Type.Object({
      source: Type.Union([Type.Literal('upload'), Type.Literal('result')]),
      speech_s: Type.Union([Type.Number(), Type.Null()]),
      voices: Type.Union([Type.Integer(), Type.Null()]),
      note: Type.Optional(Type.String()),
    }),
  ),
});
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const tags = ['audio'];
const SAMPLE_HELP =
  'multipart/form-data with the audio as `file`, or JSON `{"result_id", "speaker"}` naming a speaker of a past result';

export async function speakerRoutes(parent: FastifyInstance, d: SpeakerRoutesDeps): Promise<void> {
  const library = new SpeakerLibrary({
    store: d.store,
    client: d.client,
    gpu: d.gpu,
    results: d.results,
    upstreamError: (e) => toClientError(e, 'Speaker enrollment'),
  });

  await parent.register(async (scope) => {
    if (!scope.hasContentTypeParser('multipart/form-data')) acceptAudioMultipart(scope);
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();

    /** Runs `use` on the request's sample (an upload is removed afterwards, whatever happens). */
    const withSample = async <T>(
      req: FastifyRequest,
      reply: FastifyReply,
      use: (input: SampleInput, fields: Record<string, unknown>) => Promise<T>,
    ): Promise<T> => {
      if (!isMultipart(req)) {
        const body = jsonBody(req.body);
        return use(
          { kind: 'result', resultId: resultIdOf(body.result_id), speaker: speakerOf(body.speaker) },
          body,
        );
      }
      const up = await d.upload(req, { maxBytes: d.maxUploadBytes, dir: d.uploadDir });
      const gone = new AbortController();
      const onClose = () => {
        if (!reply.raw.writableFinished) gone.abort(new Error('the client closed the connection'));
      };
      reply.raw.once('close', onClose);
      try {
        const input: SampleInput = {
          kind: 'upload',
          path: up.file.path,
          filename: up.file.filename,
          signal: gone.signal,
        };
        return await use(input, up.fields);
      } finally {
        reply.raw.off('close', onClose);
        await up.cleanup();
      }
    };

    app.get(
      '/api/audio/speakers',
      {
        schema: {
          summary: 'The speaker library (names and sample counts, never fingerprints)',
          tags,
          response: { 200: Type.Object({ speakers: Type.Array(Speaker), match_threshold: Type.Number() }) },
        },
      },
      async (): Promise<SpeakersList> => ({ speakers: d.store.list(), match_threshold: d.matchThreshold }),
    );

    app.get(
      '/api/audio/speakers/:id',
      { schema: { summary: 'One enrolled speaker', tags, params: IdParams, response: { 200: Speaker } } },
      async (req) => d.store.require(req.params.id),
    );

    app.post(
      '/api/audio/speakers',
      {
        schema: {
          summary: `Enroll a speaker: \`name\` plus ${SAMPLE_HELP}`,
          tags,
          response: { 201: Speaker },
        },
      },
      async (req, reply) => {
        // A JSON body's name is checked before anything else; a form's once its fields are read.
        if (!isMultipart(req)) library.assertNameFree(validateSpeakerName(jsonBody(req.body).name));
        const created = await withSample(req, reply, (input, fields) => {
          if (!('name' in fields))
            throw new AppError('INVALID_INPUT', 'The speaker needs a `name` (1–64 characters).', {
              details: { param: 'name' },
            });
          return library.enroll(validateSpeakerName(fields.name), input);
        });
        return reply.code(201).send(created);
      },
    );

    app.post(
      '/api/audio/speakers/:id/samples',
      {
        schema: {
          summary: `Average another sample into an enrolled speaker's fingerprint: ${SAMPLE_HELP}`,
          tags,
          params: IdParams,
          response: { 200: Speaker },
        },
      },
      async (req, reply) => {
        d.store.require(req.params.id);
        return withSample(req, reply, (input) => library.addSample(req.params.id, input));
      },
    );

    app.patch(
      '/api/audio/speakers/:id',
      {
        schema: {
          summary: 'Rename an enrolled speaker',
          tags,
          params: IdParams,
          body: Type.Object({ name: Type.String() }, { additionalProperties: false }),
          response: { 200: Speaker },
        },
      },
      async (req) => d.store.rename(req.params.id, validateSpeakerName(req.body.name)),
    );

    app.delete(
      '/api/audio/speakers/:id',
      {
        schema: {
          summary: 'Delete an enrolled speaker and all its data, also its name, id and voice in kept results',
          tags,
          params: IdParams,
        },
      },
      async (req, reply) => {
        if (!d.store.remove(req.params.id, (id) => d.results.forgetSpeaker(id)))
          throw notFound(req.params.id);
        return reply.code(204).send();
      },
    );
  });
}

const isMultipart = (req: FastifyRequest): boolean =>
  (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === 'multipart/form-data';

function jsonBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new AppError('BAD_REQUEST', `Send ${SAMPLE_HELP}.`);
  return body as Record<string, unknown>;
}

const CONTROL = /[\p{Cc}\p{Cf}]/u;

function label(v: unknown, param: string, what: string, max: number): string {
  if (typeof v !== 'string' || v === '' || v.length > max || CONTROL.test(v))
    throw new AppError(
      'INVALID_INPUT',
      v === undefined
        ? `\`${param}\` is missing: ${what}, or send the audio as multipart \`file\`.`
        : `\`${param}\` must be ${what} (1–${max} characters, no control characters).`,
      { details: { param } },
    );
  return v;
}

const resultIdOf = (v: unknown) => label(v, 'result_id', 'the id of a past transcription result', 128);
const speakerOf = (v: unknown) =>
  label(v, 'speaker', 'the speaker label in that result (e.g. Speaker_1)', 64);
