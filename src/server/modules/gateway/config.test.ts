// The gateway's settings as loadConfig resolves them (api_keys, GATEWAY_API_KEYS, gateway.max_body_mb).
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import { loadWithFile, problemsOf, tmpDataDir } from '../../../../test/helpers/config.js';

const tmp = () => tmpDataDir('sc-gw-config-');
const withFile = loadWithFile;

describe('gateway configuration', () => {
  it('has no keys and a 16 MB body limit by default', () => {
    const { config } = loadConfig({ DATA_DIR: tmp() });
    expect(config.api_keys).toEqual([]);
    expect(config.gateway).toEqual({
      max_body_mb: 16,
      max_upload_mb: 200,
      swap_on_request: false,
      swap_on_request_timeout_s: 900,
      list_voices_in_models: false,
      voice_map: {},
      ffmpeg_path: null,
    });
  });

  it('reads the voice map and the ffmpeg path, refusing voices that are not Magpie names', () => {
    const { config } = withFile(
      'gateway:\n  voice_map: { alloy: Magpie-Multilingual.DE-DE.Aria, narrator: Magpie-Multilingual.EN-US.Leo.Calm }\n  ffmpeg_path: /opt/ffmpeg/bin/ffmpeg\n',
    );
    expect(config.gateway.voice_map).toEqual({
      alloy: 'Magpie-Multilingual.DE-DE.Aria',
      narrator: 'Magpie-Multilingual.EN-US.Leo.Calm',
    });
    expect(config.gateway.ffmpeg_path).toBe('/opt/ffmpeg/bin/ffmpeg');
    const problems = problemsOf(() =>
      withFile(
        'gateway:\n  voice_map: { alloy: "Aria; rm -rf /", "two words": Magpie-Multilingual.EN-US.Leo }\n',
      ),
    );
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/gateway\.voice_map\.alloy/);
    expect(problems.join('\n')).toMatch(/gateway\.voice_map\.two words/);
  });

  it('lists voices in /v1/models only when gateway.list_voices_in_models is true; anything else is refused', () => {
    expect(withFile('gateway: { list_voices_in_models: true }\n').config.gateway.list_voices_in_models).toBe(
      true,
    );
    const problems = problemsOf(() => withFile('gateway: { list_voices_in_models: "sometimes" }\n'));
    expect(problems.join('\n')).toMatch(/gateway\.list_voices_in_models/);
  });

  it('reads keys and the body limit from the file', () => {
    const { config } = withFile(
      'api_keys:\n  - { name: cron, key: s3cret }\n  - { name: open-webui, key: "k:2" }\ngateway: { max_body_mb: 4 }\n',
    );
    expect(config.api_keys).toEqual([
      { name: 'cron', key: 's3cret', always_redact: false },
      { name: 'open-webui', key: 'k:2', always_redact: false },
    ]);
    expect(config.gateway.max_body_mb).toBe(4);
  });

  it('lets GATEWAY_API_KEYS replace the file keys (the key may contain ":")', () => {
    const { config } = withFile('api_keys:\n  - { name: old, key: old-key }\n', {
      GATEWAY_API_KEYS: ' cron:secret1 , ha:a:b ,',
    });
    expect(config.api_keys).toEqual([
      { name: 'cron', key: 'secret1', always_redact: false },
      { name: 'ha', key: 'a:b', always_redact: false },
    ]);
  });

  it('reports malformed entries by position, never echoing a key', () => {
    const problems = problemsOf(() =>
      loadConfig({ DATA_DIR: tmp(), GATEWAY_API_KEYS: 'cron:ok1,topsecret,:x2' }),
    );
    expect(problems).toEqual([
      'GATEWAY_API_KEYS entry 2: must be name:key (name: letters, digits, _ . -)',
      'GATEWAY_API_KEYS entry 3: must be name:key (name: letters, digits, _ . -)',
    ]);
  });

  it('refuses duplicate or reserved names and shared keys', () => {
    const problems = problemsOf(() =>
      loadConfig({ DATA_DIR: tmp(), GATEWAY_API_KEYS: 'cron:k1,cron:k2,other:k1,anonymous:k3' }),
    );
    expect(problems).toEqual([
      'GATEWAY_API_KEYS entry 2: the name "cron" is used twice',
      'GATEWAY_API_KEYS entry 3: "other" has the same key as another entry',
      'GATEWAY_API_KEYS entry 4: the name "anonymous" is reserved for requests without a key',
    ]);
    expect(problems.join('\n')).not.toMatch(/k1|k2|k3/);
  });

  it('falls back to 16 MB with a warning for a blank or out-of-range limit', () => {
    const blank = withFile("gateway: { max_body_mb: '' }\n");
    expect(blank.config.gateway.max_body_mb).toBe(16);
    expect(blank.warnings).toEqual(['gateway.max_body_mb is blank; using the default']);
    expect(withFile('gateway: { max_body_mb: 0 }\n').config.gateway.max_body_mb).toBe(16);
  });

  it('rejects a key with spaces in the file without showing it', () => {
    const problems = problemsOf(() => withFile('api_keys:\n  - { name: cron, key: "has space" }\n'));
    expect(problems.join('\n')).toMatch(/api_keys\.0\.key/);
    expect(problems.join('\n')).not.toMatch(/has space/);
  });
});
