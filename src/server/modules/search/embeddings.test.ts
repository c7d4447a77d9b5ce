import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embed, startEmbeddings } from '../../../sim/embeddings.js';
import { createEmbedder, embeddingOf, firstModelId } from './embeddings.js';

describe('embeddings answers', () => {
  it('reads the first model id and the first embedding, refusing other shapes', () => {
    expect(firstModelId({ data: [{ id: 'm' }, { id: 'n' }] })).toBe('m');
    expect(firstModelId({ data: [] })).toBeNull();
    expect(firstModelId('<html>')).toBeNull();
    expect(embeddingOf({ data: [{ embedding: [0.1, -2] }] })).toEqual([0.1, -2]);
    expect(embeddingOf({ data: [{ embedding: 'AAAA' }] })).toBeNull();
    expect(embeddingOf({ data: [{ embedding: [1, null] }] })).toBeNull();
    expect(embeddingOf({ data: [{ embedding: [] }] })).toBeNull();
    expect(embeddingOf(null)).toBeNull();
  });
});

describe('createEmbedder against the simulator’s embeddings server', () => {
  let server: Awaited<ReturnType<typeof startEmbeddings>>;
  beforeAll(async () => {
    server = await startEmbeddings();
  });
  afterAll(() => server.close());

  it('embeds through the server (with or without /v1 in the URL)', async () => {
    for (const url of [server.url, `${server.url}/v1/`]) {
      const v = await createEmbedder(url).embed('GPU memory');
      expect(v).toHaveLength(768);
      expect(v[0]).toBeCloseTo(embed('GPU memory')[0]!, 6);
    }
  });

  it('answers "embeddings unreachable" while the server is down, and recovers after', async () => {
    const embedder = createEmbedder(server.url);
    await server.set(false);
    try {
      await expect(embedder.embed('x')).rejects.toMatchObject({
        status: 502,
        message: expect.stringContaining('embeddings unreachable'),
      });
    } finally {
      await server.set(true);
    }
    expect(await embedder.embed('x')).toHaveLength(768);
  });

  it('turns the server’s refusal of a too-long query into a 400 without its text', async () => {
    const err: unknown = await createEmbedder(server.url)
      .embed('word '.repeat(9000))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400 });
    expect((err as Error).message).not.toContain('maximum context length');
  });
});
