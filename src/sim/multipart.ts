// A small multipart/form-data parser (RFC 7578) for the speech fakes: text fields and file parts,
// in the order sent. Enough for what curl -F, python-requests, undici's FormData and the openai
// package send; not a general MIME parser.

export interface FormPart {
  name: string;
  filename: string | null;
  contentType: string | null;
  data: Buffer;
}

export interface FormData {
  parts: FormPart[];
  /** The first text value of a field (file parts included, decoded as UTF-8). */
  get(name: string): string | undefined;
  getAll(name: string): string[];
  file(name: string): FormPart | undefined;
}

/** The boundary of a multipart/form-data content type, or null for anything else. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return null;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m?.[1] ?? m?.[2] ?? null;
}

function headerParam(header: string, key: string): string | null {
  const m = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, 'i').exec(header);
  if (!m) return null;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? null);
}

/** Parses a body; null when it is not well-formed multipart with this boundary. */
export function parseMultipart(body: Buffer, boundary: string): FormData | null {
  const delim = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let pos = body.indexOf(delim);
  if (pos < 0) return null;
  for (;;) {
    pos += delim.length;
    if (body.subarray(pos, pos + 2).toString() === '--') break; // closing delimiter
    if (body.subarray(pos, pos + 2).toString() !== '\r\n') return null;
    pos += 2;
    const headEnd = body.indexOf('\r\n\r\n', pos);
    if (headEnd < 0) return null;
    const headers = body.subarray(pos, headEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delim]), headEnd + 4);
    if (next < 0) return null;
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const type = headers.find((h) => /^content-type:/i.test(h));
    const name = headerParam(disposition, 'name');
    if (name !== null) {
      parts.push({
        name,
        filename: headerParam(disposition, 'filename'),
        contentType: type ? type.replace(/^content-type:\s*/i, '').trim() : null,
        data: body.subarray(headEnd + 4, next),
      });
    }
    pos = next + 2;
  }
  return {
    parts,
    get: (n) => parts.find((p) => p.name === n)?.data.toString('utf8'),
    getAll: (n) => parts.filter((p) => p.name === n).map((p) => p.data.toString('utf8')),
    file: (n) => parts.find((p) => p.name === n && p.filename !== null) ?? parts.find((p) => p.name === n),
  };
}
