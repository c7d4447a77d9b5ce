// How encoder failures and OpenAI's speech SSE (`stream_format: "sse"`) reach the client.
import type { FastifyReply } from 'fastify';
import { AppError } from '../../../platform/http/errors.js';
import { SSE_HEADERS } from '../proxy.js';
import { EncoderError } from './ffmpeg.js';

/** What a client is told when the audio could not be made: a 502 naming the encoder, never a 500. */
export function speechFailure(err: unknown, format: string): AppError {
  if (err instanceof AppError) return err;
  const why = err instanceof EncoderError ? err.message : `encoder failed: ${String(err)}`;
  return new AppError('UPSTREAM_ERROR', `Could not encode the speech as ${format}: ${why}`, { cause: err });
}

const event = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;

/**
 * OpenAI's speech events: `speech.audio.delta` with base64 audio per encoded chunk, then
 * `speech.audio.done` with usage. A failure after the stream began is one `error` event.
 */
export async function sseEvents(
  reply: FastifyReply,
  first: IteratorResult<Buffer>,
  rest: AsyncGenerator<Buffer>,
  format: string,
  inputTokens: number,
  onFailed: () => void,
): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, SSE_HEADERS);
  const delta = (b: Buffer) => res.write(event({ type: 'speech.audio.delta', audio: b.toString('base64') }));
  let bytes = 0;
  try {
    if (!first.done) {
      bytes += first.value.length;
      delta(first.value);
    }
    for await (const chunk of rest) {
      if (res.destroyed) return;
      bytes += chunk.length;
      delta(chunk);
    }
    const outputTokens = Math.ceil(bytes / 1024);
    res.end(
      event({
        type: 'speech.audio.done',
        usage: {
          input_tokens: inputTokens,
          output_tokens: outputTokens,
          total_tokens: inputTokens + outputTokens,
        },
      }),
    );
  } catch (err) {
    onFailed();
    const e = speechFailure(err, format);
    reply.log.warn({ err }, 'speech encoding failed during an SSE stream');
    res.end(
      event({ type: 'error', error: { message: e.message, type: 'server_error', param: null, code: null } }),
    );
  }
}
