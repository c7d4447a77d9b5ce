import { describe, expect, it } from 'vitest';
import {
  findModel,
  listEntries,
  listModels,
  MAX_ENTRIES_PER_SOURCE,
  modelNotFound,
  toEntries,
  wantsVoices,
  type ListOptions,
  type ModelSource,
} from './models.js';

const CREATED = 1_700_000_000;
const opts = (voices = false) => ({ voices, created: CREATED });
const source = (kind: ModelSource['kind'], list: ModelSource['list']): ModelSource => ({ kind, list });

describe('listEntries', () => {
  it('keeps the entries of an OpenAI list that have an id', () => {
    expect(
      listEntries({ object: 'list', data: [{ id: 'a', object: 'model' }, { id: 3 }, null, 'x'] }),
    ).toEqual([{ id: 'a', object: 'model' }]);
    for (const body of [null, [], {}, { data: 'x' }]) expect(listEntries(body)).toEqual([]);
  });
});

describe('toEntries', () => {
  it("fills created and owned_by from the kind when the upstream does not say, keeps the upstream's otherwise", () => {
    const entries = toEntries(
      source('stt', async () => []),
      [
        { id: 'nvidia/parakeet-tdt-0.6b-v2' },
        { id: 'x', created: 42, owned_by: 'someone', object: 'weird' },
        { id: 'y', created: -1, owned_by: '' },
        { id: 'z', created: 1.5 },
        { id: '' },
      ],
      CREATED,
    );
    expect(entries).toEqual([
      {
        id: 'nvidia/parakeet-tdt-0.6b-v2',
        object: 'model',
        created: CREATED,
        owned_by: 'parakeet',
        spark_control: { kind: 'stt' },
      },
      { id: 'x', object: 'model', created: 42, owned_by: 'someone', spark_control: { kind: 'stt' } },
      { id: 'y', object: 'model', created: CREATED, owned_by: 'parakeet', spark_control: { kind: 'stt' } },
      { id: 'z', object: 'model', created: CREATED, owned_by: 'parakeet', spark_control: { kind: 'stt' } },
    ]);
  });

  it("uses the source's owner, and the kind always comes from the source (an upstream cannot relabel itself)", () => {
    const [e] = toEntries(
      { kind: 'embeddings', owner: 'infinity', list: async () => [] },
      [{ id: 'e', spark_control: { kind: 'llm' } }],
      CREATED,
    );
    expect(e).toMatchObject({ owned_by: 'infinity', spark_control: { kind: 'embeddings' } });
    expect(e?.spark_control).toEqual({ kind: 'embeddings' });
  });
});

describe('listModels', () => {
  it('merges every source in order, each entry with created, owned_by and its kind', async () => {
    const list = await listModels(
      [
        source('llm', async () => [
          { id: 'Qwen/Qwen2.5-7B-Instruct', object: 'model', owned_by: 'vllm', created: 5, max_model_len: 8 },
        ]),
        source('tts', async () => [{ id: 'magpie-tts-multilingual' }]),
      ],
      opts(),
    );
    expect(list).toEqual({
      object: 'list',
      data: [
        {
          id: 'Qwen/Qwen2.5-7B-Instruct',
          object: 'model',
          owned_by: 'vllm',
          created: 5,
          max_model_len: 8,
          spark_control: { kind: 'llm' },
        },
        {
          id: 'magpie-tts-multilingual',
          object: 'model',
          created: CREATED,
          owned_by: 'magpie',
          spark_control: { kind: 'tts' },
        },
      ],
    });
  });

  it('passes the voices choice to every source, and keeps the voice mark', async () => {
    const seen: ListOptions[] = [];
    const tts = source('tts', async (o) => {
      seen.push(o);
      const model = { id: 'magpie-tts-multilingual' };
      return o.voices
        ? [model, { id: 'Magpie-Multilingual.EN-US.Aria', spark_control: { voice: true } }]
        : [model];
    });
    expect((await listModels([tts], opts(false))).data.map((m) => m.id)).toEqual(['magpie-tts-multilingual']);
    const withVoices = (await listModels([tts], opts(true))).data;
    expect(withVoices.map((m) => m.spark_control)).toEqual([{ kind: 'tts' }, { kind: 'tts', voice: true }]);
    expect(seen).toEqual([{ voices: false }, { voices: true }]);
  });

  it('leaves out a source that fails, and is an empty list when all do', async () => {
    const down = source('llm', async () => {
      throw new Error('ECONNREFUSED');
    });
    expect(await listModels([down], opts())).toEqual({ object: 'list', data: [] });
    const ok = source('stt', async () => [{ id: 'parakeet' }]);
    expect((await listModels([down, ok], opts())).data.map((m) => m.id)).toEqual(['parakeet']);
  });
});

describe('findModel', () => {
  const sources = [
    source('llm', async () => [{ id: 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8' }]),
    source('tts', async (o) => [
      { id: 'magpie-tts-multilingual' },
      ...(o.voices ? [{ id: 'V.EN-US.Aria' }] : []),
    ]),
  ];

  it('finds an id with slashes, and a voice even though the default list hides voices', async () => {
    expect(await findModel(sources, 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8', CREATED)).toMatchObject({
      id: 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8',
      owned_by: 'vllm',
      spark_control: { kind: 'llm' },
    });
    expect((await findModel(sources, 'V.EN-US.Aria', CREATED))?.spark_control.kind).toBe('tts');
  });

  it('is null for an unknown id, which answers OpenAI’s model_not_found envelope', async () => {
    expect(await findModel(sources, 'Qwen', CREATED)).toBeNull();
    expect(modelNotFound('nope/x')).toEqual({
      error: {
        message: 'The model `nope/x` does not exist.',
        type: 'invalid_request_error',
        param: 'model',
        code: 'model_not_found',
      },
    });
  });
});

describe('wantsVoices', () => {
  it('is on with the config switch, or ?voices=1/true/yes/on', () => {
    expect(wantsVoices({}, true)).toBe(true);
    for (const v of ['1', 'true', 'YES', 'on']) expect(wantsVoices({ voices: v }, false)).toBe(true);
    for (const q of [{}, { voices: '0' }, { voices: 'false' }, { voices: '' }, null, { voices: ['1'] }])
      expect(wantsVoices(q, false)).toBe(false);
  });
});

describe('list bounds', () => {
  it('keeps at most MAX_ENTRIES_PER_SOURCE entries of a source, whatever it answers', async () => {
    const many = Array.from({ length: 5_000 }, (_, i) => ({ id: `m${i}` }));
    const list = await listModels(
      [
        { kind: 'llm', list: async () => many },
        { kind: 'embeddings', list: async () => [{ id: 'e' }] },
      ],
      opts(),
    );
    expect(list.data).toHaveLength(MAX_ENTRIES_PER_SOURCE + 1);
    expect(list.data.at(-1)?.id).toBe('e');
  });
});
