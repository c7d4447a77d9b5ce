import { describe, expect, it } from 'vitest';
import type { CatalogModel } from '../../common/api.js';
import { expectedLoadText, formatSizeGb, loadedLabel } from './models.js';

describe('expectedLoadText', () => {
  it('says when the estimate comes from past swaps', () => {
    expect(expectedLoadText({ expected_seconds: 190, expected_ready_seconds: 240 })).toBe(
      '~3 min to load, from past swaps',
    );
    expect(expectedLoadText({ expected_seconds: 45, expected_ready_seconds: 45 })).toBe('~45 s to load');
  });
});

describe('loadedLabel', () => {
  const models = [{ key: 'q', display_name: 'Qwen3' }] as CatalogModel[];
  it('prefers the catalog name, then the id', () => {
    expect(loadedLabel({ models, loaded_key: 'q', loaded_model: 'Qwen/Qwen3' })).toBe('Qwen3');
    expect(loadedLabel({ models, loaded_key: null, loaded_model: 'other/model' })).toBe('other/model');
    expect(loadedLabel({ models, loaded_key: null, loaded_model: null })).toBeNull();
  });
});

describe('formatSizeGb', () => {
  it('rounds big sizes and keeps a decimal for small ones', () => {
    expect(formatSizeGb(31.4)).toBe('31 GB');
    expect(formatSizeGb(7.46)).toBe('7.5 GB');
    expect(formatSizeGb(Number.NaN)).toBe('—');
  });
});
