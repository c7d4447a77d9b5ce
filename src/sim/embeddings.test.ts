import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDING_DIMS, EMBEDDING_MODEL, startEmbeddings } from './embeddings.js';

let server: Awaited<ReturnType<typeof startEmbeddings>>;
beforeAll(async () => {
  server = await startEmbeddings();
});
afterAll(() => server.close());

/** The status and parsed body (loosely typed, as `Response.json()` is). */
const embed = async (
  body: unknown,
): Promise<{ status: number; json: Awaited<ReturnType<Response['json']>> }> => {
  const res = await fetch(`${server.url}/v1/embeddings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
};
const norm = (v: number[]): number => Math.hypot(...v);
const dot = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

describe('fake embeddings server', () => {
  it('answers in OpenAI’s shape with deterministic unit-length 768-dim vectors', async () => {
    const a = await embed({ input: 'The cat sat on the mat.', model: EMBEDDING_MODEL });
    expect(a.status).toBe(200);
    expect(Object.keys(a.json)).toEqual(['object', 'data', 'model', 'usage']);
    expect(a.json).toMatchObject({
      object: 'list',
      model: EMBEDDING_MODEL,
      usage: { prompt_tokens: 6, total_tokens: 6 },
    });
    expect(a.json.data).toHaveLength(1);
    expect(a.json.data[0]).toMatchObject({ object: 'embedding', index: 0 });
    const v: number[] = a.json.data[0].embedding;
    expect(v).toHaveLength(EMBEDDING_DIMS);
    expect(norm(v)).toBeCloseTo(1, 5);
    const again = await embed({ input: 'The cat sat on the mat.' });
    expect(again.json.data[0].embedding).toEqual(v);
  });

  it('embeds arrays in order; texts sharing words are closer than unrelated ones', async () => {
    const r = await embed({ input: ['a cat on a mat', 'the cat sat on the mat', 'quarterly budget review'] });
    const [x, y, z] = r.json.data.map((d: { embedding: number[]; index: number }) => d.embedding);
    expect(r.json.data.map((d: { index: number }) => d.index)).toEqual([0, 1, 2]);
    expect(dot(x, y)).toBeGreaterThan(dot(x, z) + 0.2);
  });

  it('truncates to `dimensions` (renormalised) and encodes base64 as little-endian float32', async () => {
    const full = (await embed({ input: 'hello world' })).json.data[0].embedding as number[];
    const short = (await embed({ input: 'hello world', dimensions: 64 })).json.data[0].embedding as number[];
    expect(short).toHaveLength(64);
    expect(norm(short)).toBeCloseTo(1, 5);
    expect(dot(short, full.slice(0, 64)) / norm(full.slice(0, 64))).toBeCloseTo(1, 5);

    const b64 = (await embed({ input: 'hello world', encoding_format: 'base64' })).json.data[0].embedding;
    expect(typeof b64).toBe('string');
    const buf = Buffer.from(b64, 'base64');
    expect(buf.length).toBe(EMBEDDING_DIMS * 4);
    const decoded = Array.from({ length: EMBEDDING_DIMS }, (_, i) => buf.readFloatLE(i * 4));
    expect(decoded).toEqual(full);
  });

  it('refuses bad requests with the OpenAI error envelope', async () => {
    expect((await embed({ input: 'x', model: 'nope' })).json.error).toMatchObject({
      type: 'NotFoundError',
      code: 404,
    });
    for (const body of [
      {},
      { input: [] },
      { input: 'x', encoding_format: 'hex' },
      { input: 'x', dimensions: 0 },
    ]) {
      const r = await embed(body);
      expect(r.status).toBe(400);
      expect(r.json.error).toMatchObject({ type: 'BadRequestError', code: 400, param: null });
    }
    expect((await embed('{nope')).status).toBe(400);
  });

  it('lists its model and answers /health', async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const models = await (await fetch(`${server.url}/v1/models`)).json();
    expect(models).toMatchObject({ object: 'list', data: [{ id: EMBEDDING_MODEL, object: 'model' }] });
  });
});
