// One lane per speaker across the whole recording, each turn a coloured bar; the speaking time is
// said in words beside the lane for those who cannot see the bars.
import type { SpeakersTranscript } from '../../../../common/audio-api.js';
import { formatClock } from '../../../lib/time.js';
import { formatOffset, speakerDisplayName, timelineLanes } from './labFormat.js';

export function SpeakerTimeline({ t }: { t: SpeakersTranscript }) {
  const lanes = timelineLanes(t);
  if (lanes.length === 0) return null;
  return (
    <div className="lab-timeline" role="group" aria-label="Speakers over time" data-testid="lab-timeline">
      {lanes.map((lane) => (
        <div className="lab-lane" key={lane.speaker} data-testid="lab-lane" data-speaker={lane.speaker}>
          <span className="small lab-lane-name">
            <span className={`lab-swatch spk-${lane.color}`} aria-hidden="true" />
            {speakerDisplayName(lane.speaker)}
          </span>
          <div className="lab-track" aria-hidden="true">
            {lane.turns.map((turn) => (
              <span
                key={turn.start_ms}
                className={`lab-turn spk-${lane.color}`}
                style={{ left: `${turn.left}%`, width: `max(${turn.width}%, 2px)` }}
                title={`${speakerDisplayName(lane.speaker)} ${formatOffset(turn.start_ms)}–${formatOffset(turn.end_ms)}`}
              />
            ))}
          </div>
          <span className="small muted mono lab-lane-total">{formatClock(lane.total_ms / 1000)}</span>
        </div>
      ))}
    </div>
  );
}
