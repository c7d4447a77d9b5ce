// The Audio lab's requests: the upload (XMLHttpRequest, for upload progress and abort), the
// result, job cancel and the speaker library. Refusals become a LabError whose message is in
// plain words (413, 415, 503 + Retry-After) — an ApiError, so a 401 still brings the login back.
import type {
  AudioJobAccepted,
  EnrolledSpeaker,
  SpeakersList,
  SpeakersTranscript,
} from '../../../../common/audio-api.js';
import type { JobInfo } from '../../../../common/api.js';
import { ApiError } from '../../../api/client.js';
import { parseRetryAfter, plainAudioError } from './labFormat.js';

const seg = encodeURIComponent;

export class LabError extends ApiError {
  readonly retryAfterS: number | null;

  constructor(status: number, code: string, message: string, retryAfterS: number | null) {
    super(status, code, message);
    this.retryAfterS = retryAfterS;
  }
}

function serverError(body: unknown): { code: string; message: string } | null {
  if (typeof body !== 'object' || body === null || !('error' in body)) return null;
  const e = (body as { error: unknown }).error;
  if (typeof e !== 'object' || e === null) return null;
  const { code, message } = e as { code?: unknown; message?: unknown };
  return typeof message === 'string' ? { code: typeof code === 'string' ? code : '', message } : null;
}

function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function refusal(status: number, text: string, retryAfter: string | null): LabError {
  const err = serverError(parseBody(text));
  const wait = parseRetryAfter(retryAfter);
  return new LabError(
    status,
    err?.code || `HTTP_${status}`,
    plainAudioError(status, err?.message ?? '', wait),
    wait,
  );
}

async function labFetch<T>(
  path: string,
  init: { method?: string; json?: unknown; signal?: AbortSignal } = {},
) {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (init.json !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      signal: init.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new LabError(0, 'NETWORK', plainAudioError(0, '', null), null);
  }
  const text = await res.text();
  if (!res.ok) throw refusal(res.status, text, res.headers.get('retry-after'));
  const body = parseBody(text);
  if (body === undefined)
    throw new LabError(res.status, 'BAD_JSON', 'The server sent a response that is not JSON.', null);
  return body as T;
}

export interface TranscribeOptions {
  language: string;
  minSpeakers: number | null;
  maxSpeakers: number | null;
}

export interface Upload {
  done: Promise<AudioJobAccepted>;
  abort(): void;
}

/** `POST /api/audio/transcribe-with-speakers?async=1` (multipart); `onProgress` gets 0..1 of the upload. */
export function startTranscription(
  file: File,
  opts: TranscribeOptions,
  onProgress: (f: number) => void,
): Upload {
  const form = new FormData();
  // Fields before the file: a streaming parser has them when the file begins.
  if (opts.language.trim()) form.append('language', opts.language.trim());
  if (opts.minSpeakers !== null) form.append('min_speakers', String(opts.minSpeakers));
  if (opts.maxSpeakers !== null) form.append('max_speakers', String(opts.maxSpeakers));
  form.append('file', file, file.name);
  const xhr = new XMLHttpRequest();
  const done = new Promise<AudioJobAccepted>((resolve, reject) => {
    xhr.open('POST', '/api/audio/transcribe-with-speakers?async=1');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(refusal(xhr.status, xhr.responseText, xhr.getResponseHeader('retry-after')));
        return;
      }
      const body = parseBody(xhr.responseText) as Partial<AudioJobAccepted> | null | undefined;
      if (!body || typeof body.job_id !== 'string' || typeof body.result_url !== 'string') {
        reject(
          new LabError(
            xhr.status,
            'BAD_ANSWER',
            'The server accepted the file but did not say which job.',
            null,
          ),
        );
        return;
      }
      resolve({ job_id: body.job_id, result_url: body.result_url });
    };
    xhr.onerror = () => reject(new LabError(0, 'NETWORK', plainAudioError(0, '', null), null));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

export const getTranscript = (resultUrl: string, signal?: AbortSignal) =>
  labFetch<SpeakersTranscript>(resultUrl, { signal });

export const cancelJob = (id: string) => labFetch<JobInfo>(`/api/jobs/${seg(id)}`, { method: 'DELETE' });

export const listSpeakers = (signal?: AbortSignal) =>
  labFetch<SpeakersList>('/api/audio/speakers', { signal });

/** "This is Alice": a new enrolled speaker from a speaker of a past result. */
export const enrollFromResult = (name: string, resultId: string, speaker: string) =>
  labFetch<EnrolledSpeaker>('/api/audio/speakers', {
    method: 'POST',
    json: { name, result_id: resultId, speaker },
  });

/** Another sample for a speaker already enrolled (averaged into the stored voice). */
export const addSampleFromResult = (id: string, resultId: string, speaker: string) =>
  labFetch<EnrolledSpeaker>(`/api/audio/speakers/${seg(id)}/samples`, {
    method: 'POST',
    json: { result_id: resultId, speaker },
  });

export const renameSpeaker = (id: string, name: string) =>
  labFetch<EnrolledSpeaker>(`/api/audio/speakers/${seg(id)}`, { method: 'PATCH', json: { name } });

export const deleteSpeaker = (id: string) =>
  labFetch<unknown>(`/api/audio/speakers/${seg(id)}`, { method: 'DELETE' });
