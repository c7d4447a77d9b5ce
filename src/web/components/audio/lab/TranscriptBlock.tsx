// One speaker block: who (coloured, an enrolled name as the name), when (mm:ss), what was said,
// and for a voice without a name "This is…", which enrolls it from this recording.
import { useState } from 'react';
import type { SpeakerSegment } from '../../../../common/audio-api.js';
import { VisibleText } from '../../VisibleText.js';
import { EnrollForm } from './EnrollForm.js';
import { formatOffset, isAnonymousSpeaker, speakerColorIndex, speakerDisplayName } from './labFormat.js';

interface Props {
  segment: SpeakerSegment;
  detected: readonly string[];
  resultId: string | null;
  resultUrl: string;
  onEnrolled: (label: string, name: string) => void;
}

export function TranscriptBlock({ segment: s, detected, resultId, resultUrl, onEnrolled }: Props) {
  const [enrolling, setEnrolling] = useState(false);
  const color = speakerColorIndex(s.speaker, detected);
  const named = !isAnonymousSpeaker(s.speaker);
  return (
    <li
      className={`lab-block spk-${color}`}
      data-testid="lab-block"
      data-speaker={s.speaker}
      data-color={color}
      data-enrolled={s.speaker_id ? 'true' : 'false'}
    >
      <div className="lab-block-head">
        <span className={`lab-swatch spk-${color}`} aria-hidden="true" />
        <span className="lab-speaker" data-testid="lab-block-speaker">
          <VisibleText text={speakerDisplayName(s.speaker)} />
        </span>
        <span className="small muted mono" title={`${formatOffset(s.start_ms)}–${formatOffset(s.end_ms)}`}>
          {formatOffset(s.start_ms)}
        </span>
        {s.confidence !== null ? (
          <span className="small muted" title="Diarization confidence">
            {Math.round(s.confidence * 100)} %
          </span>
        ) : null}
        <span className="lab-spacer" />
        {!named && resultId && !enrolling ? (
          <button
            type="button"
            className="btn"
            onClick={() => setEnrolling(true)}
            aria-label={`This is… (name ${speakerDisplayName(s.speaker)})`}
            data-testid="lab-enroll-open"
          >
            This is…
          </button>
        ) : null}
      </div>
      <p className="lab-text">
        <VisibleText text={s.text} />
      </p>
      {enrolling && resultId ? (
        <EnrollForm
          speaker={s.speaker}
          resultId={resultId}
          resultUrl={resultUrl}
          onDone={() => setEnrolling(false)}
          onEnrolled={onEnrolled}
        />
      ) : null}
    </li>
  );
}
