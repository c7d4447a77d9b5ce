// speech_models.app_dir: the Parakeet container's app directory, where reapply copies the overlay.
import { describe, expect, it } from 'vitest';
import { problemLine } from './problems.js';
import { validateSettings } from './validate.js';

const base = { nodes: [{ name: 'spark1', host: 'spark1.local', user: 'alice' }] };

describe('speech_models.app_dir', () => {
  it('defaults to the seed image’s /opt/parakeet/app and accepts absolute paths', () => {
    const def = validateSettings(base);
    expect(def.ok && def.config.speech_models).toEqual({ app_dir: '/opt/parakeet/app' });
    const set = validateSettings({ ...base, speech_models: { app_dir: '/app/' } });
    expect(set.ok && set.config.speech_models.app_dir).toBe('/app');
  });

  it.each([
    ['app', /absolute path inside the container/],
    ['~/app', /absolute path inside the container/],
    ['/opt/../etc', /must not contain a '\.\.' segment/],
    ['/opt/$(id)', /may only contain/],
    ["/opt/a'b", /may only contain/],
  ])('refuses %j', (app_dir, message) => {
    const r = validateSettings({ ...base, speech_models: { app_dir } });
    expect(r.ok).toBe(false);
    const lines = r.ok ? [] : r.problems.map(problemLine);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^speech_models\.app_dir: /);
    expect(lines[0]).toMatch(message);
  });
});
