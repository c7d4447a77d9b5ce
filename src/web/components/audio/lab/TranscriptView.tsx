// The finished transcript: a summary line, downloads, the speakers' timeline and the speaker
// blocks, each coloured per speaker and offering "This is…" to name its voice.
import { useState } from 'react';
import type { SpeakersTranscript } from '../../../../common/audio-api.js';
import { formatClock } from '../../../lib/time.js';
import { LoadProblem } from '../LoadProblem.js';
import { downloadName, downloadUrl, resultIdOf, speakerDisplayName } from './labFormat.js';
import { useTranscript } from './labQueries.js';
import type { LabRun } from './labRun.js';
import { SpeakerTimeline } from './SpeakerTimeline.js';
import { TranscriptBlock } from './TranscriptBlock.js';

const FORMATS = [
  { format: 'srt', label: 'SRT' },
  { format: 'vtt', label: 'VTT' },
  { format: 'text', label: 'Text' },
] as const;

export function TranscriptView({ run }: { run: LabRun }) {
  const result = useTranscript(run.result_url);
  const [enrolled, setEnrolled] = useState<{ label: string; name: string } | null>(null);
  if (!result.data) {
    return result.error ? (
      <LoadProblem what="Transcript" error={result.error} testId="lab-transcript-error" />
    ) : (
      <p className="small muted">Loading the transcript…</p>
    );
  }
  const t = result.data;
  const resultId = resultIdOf(run.result_url);
  return (
    <div className="stack-tight" data-testid="lab-transcript" data-speakers={t.speakers_detected.length}>
      <div className="card-title-row">
        <Summary t={t} />
        <span className="lab-spacer" />
        <span className="button-row" role="group" aria-label="Download the transcript">
          {FORMATS.map(({ format, label }) => (
            <a
              key={format}
              className="btn"
              href={downloadUrl(run.result_url, format)}
              download={downloadName(run.file_name, format)}
              data-testid={`lab-download-${format}`}
            >
              {label}
            </a>
          ))}
        </span>
      </div>
      {result.isFetching ? <p className="small muted">Refreshing speaker names…</p> : null}
      {result.error ? <LoadProblem what="Transcript" error={result.error} /> : null}
      {enrolled && !result.isFetching && t.speakers_detected.includes(enrolled.label) ? (
        <p className="small muted" role="status" data-testid="lab-enrolled-note">
          {enrolled.name} is enrolled: recordings transcribed from now on name that voice. This transcript was
          made before and keeps “{speakerDisplayName(enrolled.label)}”.
        </p>
      ) : null}
      <SpeakerTimeline t={t} />
      {t.segments.length === 0 ? (
        <p className="small muted">No speech was found in this recording.</p>
      ) : (
        <ol className="lab-blocks" aria-label="Transcript">
          {t.segments.map((s, i) => (
            <TranscriptBlock
              key={`${s.start_ms}-${i}`}
              segment={s}
              detected={t.speakers_detected}
              resultId={resultId}
              resultUrl={run.result_url}
              onEnrolled={(label, name) => setEnrolled({ label, name })}
            />
          ))}
        </ol>
      )}
    </div>
  );
}

function Summary({ t }: { t: SpeakersTranscript }) {
  const n = t.speakers_detected.length;
  const parts = [
    formatClock(t.duration),
    `${n} speaker${n === 1 ? '' : 's'}`,
    t.language ? `language ${t.language}` : null,
    t.chunks > 1 ? `${t.chunks} chunks` : null,
    [t.models.transcription, t.models.diarization].filter(Boolean).join(' + ') || null,
  ].filter(Boolean);
  return (
    <span className="small muted" data-testid="lab-summary">
      {parts.join(' · ')}
    </span>
  );
}
