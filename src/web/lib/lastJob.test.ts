import { describe, expect, it } from 'vitest';
import type { LastJobInfo } from '../../common/services-api.js';
import { lastJobHeadline, lastJobToShow } from './lastJob.js';

const UTC = { locale: 'en-GB', timeZone: 'UTC' };
const NOW = Date.parse('2026-03-04T15:00:00Z');
const job = (over: Partial<LastJobInfo> = {}): LastJobInfo => ({
  id: 'j1',
  kind: 'patch-reapply',
  state: 'interrupted',
  what: 'The reapply of the speech-model patches',
  phase: 'copy',
  ended_at: '2026-03-04T14:05:09.000Z',
  reason: 'The control plane restarted while this job was running.',
  advice: 'Reapply again.',
  ...over,
});

describe('lastJobHeadline', () => {
  it('says an interrupted job was cut short by a restart, at local time', () => {
    expect(lastJobHeadline(job(), NOW, UTC)).toBe(
      'The reapply of the speech-model patches was interrupted by a control-plane restart at 14:05:09',
    );
    expect(lastJobHeadline(job(), NOW, { locale: 'en-GB', timeZone: 'Europe/Berlin' })).toMatch(
      /at 15:05:09$/,
    );
  });
  it('names the day when it was not today', () => {
    expect(lastJobHeadline(job(), NOW + 86_400_000, UTC)).toMatch(/at Wed 4 Mar, 14:05:09$/);
  });
  it('says why a failed job failed, without a doubled full stop', () => {
    const failed = job({
      state: 'failed',
      what: 'The restart of magpie',
      reason: 'docker restart magpie-tts failed (exit 1).',
    });
    expect(lastJobHeadline(failed, NOW, UTC)).toBe(
      'The restart of magpie failed at 14:05:09: docker restart magpie-tts failed (exit 1)',
    );
  });
});

describe('lastJobToShow', () => {
  it('hides the notice of the job the page already follows', () => {
    expect(lastJobToShow(job(), null)?.id).toBe('j1');
    expect(lastJobToShow(job(), 'j2')?.id).toBe('j1');
    expect(lastJobToShow(job(), 'j1')).toBeNull();
    expect(lastJobToShow(null, null)).toBeNull();
    expect(lastJobToShow(undefined, 'j1')).toBeNull();
  });
});
