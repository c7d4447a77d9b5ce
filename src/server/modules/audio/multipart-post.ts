// One multipart POST of a file on disk over node:http: the parts are written around a read stream
// of the file (never the whole file in memory) with an exact Content-Length, so the upstream knows
// the size up front (no chunked encoding). Aborting `signal` destroys the request and its socket
// whatever it is doing (sending the file, or waiting for the GPU's answer).
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';

export interface MultipartAnswer {
  status: number;
  /** The answer's bytes, cut at `maxBytes`. */
  body: Buffer;
}

const quote = (s: string) => s.replace(/["\\\r\n]/g, '_');

export async function postFileMultipart(
  url: string,
  file: { path: string; filename: string; field?: string },
  fields: [string, string][],
  o: { signal?: AbortSignal; timeoutMs: number; maxBytes: number },
): Promise<MultipartAnswer> {
  const boundary = `----spark-control-${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    fields
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${quote(k)}"\r\n\r\n${v}\r\n`)
      .join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.field ?? 'file')}"; ` +
      `filename="${quote(file.filename)}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = (await stat(file.path)).size;
  const u = new URL(url);
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<MultipartAnswer>((resolve, reject) => {
    const req = send(u, {
      method: 'POST',
      signal: o.signal,
      timeout: o.timeoutMs,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + size + tail.length),
      },
    });
    req.once('timeout', () => req.destroy(new Error(`no answer within ${Math.round(o.timeoutMs / 1000)} s`)));
    req.once('error', reject);
    req.once('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let got = 0;
      res.on('data', (c: Buffer) => {
        if (got < o.maxBytes) chunks.push(c);
        got += c.length;
      });
      res.once('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).subarray(0, o.maxBytes) }),
      );
      res.once('error', reject);
    });
    req.write(head);
    // The upstream may answer (an error) before reading the whole file: that ends the pipe early.
    pipeline(createReadStream(file.path), req, { end: false })
      .then(() => req.end(tail))
      .catch((err: unknown) => req.destroy(err as Error));
  });
}
