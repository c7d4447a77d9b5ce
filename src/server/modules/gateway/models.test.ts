import { describe, expect, it } from 'vitest';
import { listEntries, listModels, MAX_ENTRIES_PER_SOURCE, type ModelSource } from './models.js';

describe('listEntries', () => {
  it('keeps the entries of an OpenAI list that have an id', () => {
    expect(
      listEntries({ object: 'list', data: [{ id: 'a', object: 'model' }, { id: 3 }, null, 'x'] }),
    ).toEqual([{ id: 'a', object: 'model' }]);
    for (const body of [null, [], {}, { data: 'x' }]) expect(listEntries(body)).toEqual([]);
  });
});

describe('listModels', () => {
  const source = (kind: ModelSource['kind'], list: ModelSource['list']): ModelSource => ({ kind, list });

  it('merges every source in order, tagging each entry with its kind', async () => {
    const list = await listModels([
      source('llm', async () => [{ id: 'Qwen/Qwen2.5-7B-Instruct', object: 'model', owned_by: 'vllm' }]),
      source('tts', async () => [{ id: 'Magpie-Multilingual.EN-US.Mia' }]),
    ]);
    expect(list).toEqual({
      object: 'list',
      data: [
        {
          id: 'Qwen/Qwen2.5-7B-Instruct',
          object: 'model',
          owned_by: 'vllm',
          spark_control: { kind: 'llm' },
        },
        { id: 'Magpie-Multilingual.EN-US.Mia', object: 'model', spark_control: { kind: 'tts' } },
      ],
    });
  });

  it('leaves out a source that fails, and is an empty list when all do', async () => {
    const down = source('llm', async () => {
      throw new Error('ECONNREFUSED');
    });
    expect(await listModels([down])).toEqual({ object: 'list', data: [] });
    const ok = source('stt', async () => [{ id: 'parakeet' }]);
    expect((await listModels([down, ok])).data.map((m) => m.id)).toEqual(['parakeet']);
  });
});

describe('list bounds', () => {
  it('keeps at most MAX_ENTRIES_PER_SOURCE entries of a source, whatever it answers', async () => {
    const many = Array.from({ length: 5_000 }, (_, i) => ({ id: `m${i}` }));
    const list = await listModels([
      { kind: 'llm', list: async () => many },
      { kind: 'embeddings', list: async () => [{ id: 'e' }] },
    ]);
    expect(list.data).toHaveLength(MAX_ENTRIES_PER_SOURCE + 1);
    expect(list.data.at(-1)?.id).toBe('e');
  });
});
