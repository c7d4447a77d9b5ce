// Choosing the recording (drop it, or pick it with the keyboard-reachable button) and the options
// sent with it: language and the expected number of speakers.
import { useId, useState, type DragEvent, type FormEvent } from 'react';
import { formatBytes } from '../../../lib/format.js';
import type { TranscribeOptions } from './labApi.js';
import { parseSpeakerBounds } from './labForm.js';

interface Props {
  busy: boolean;
  onSubmit: (file: File, opts: TranscribeOptions) => void;
}

export function UploadForm({ busy, onSubmit }: Props) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [language, setLanguage] = useState('');
  const [minText, setMinText] = useState('');
  const [maxText, setMaxText] = useState('');
  const bounds = parseSpeakerBounds(minText, maxText);

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    const dropped = e.dataTransfer.files[0];
    if (dropped) setFile(dropped);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!file || busy || !bounds.ok) return;
    onSubmit(file, { language, minSpeakers: bounds.min, maxSpeakers: bounds.max });
  };

  return (
    <form className="stack-tight" onSubmit={submit} aria-label="Transcribe a recording">
      <div
        className={`lab-drop${dragging ? ' lab-drop-active' : ''}`}
        data-testid="lab-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <span className="small muted">Drop an audio file here (WAV, MP3, M4A, Ogg, WebM, FLAC) or</span>
        <label className="btn lab-pick">
          Choose a file…
          <input
            type="file"
            className="visually-hidden"
            accept="audio/*,video/webm,video/mp4,.wav,.mp3,.m4a,.ogg,.opus,.webm,.flac"
            data-testid="lab-file"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        {file ? (
          <span className="small" data-testid="lab-file-info">
            <span className="mono">{file.name}</span> · {formatBytes(file.size)}
          </span>
        ) : null}
      </div>
      <div className="lab-options">
        <div className="field">
          <label className="field-label" htmlFor={`${id}-lang`}>
            Language
          </label>
          <input
            id={`${id}-lang`}
            className="input input-narrow"
            value={language}
            placeholder="auto"
            maxLength={16}
            onChange={(e) => setLanguage(e.target.value)}
            data-testid="lab-language"
          />
        </div>
        <NumberField
          id={`${id}-min`}
          label="Min speakers"
          value={minText}
          onChange={setMinText}
          invalid={!bounds.ok}
        />
        <NumberField
          id={`${id}-max`}
          label="Max speakers"
          value={maxText}
          onChange={setMaxText}
          invalid={!bounds.ok}
        />
        <button
          type="submit"
          className="btn btn-primary lab-submit"
          disabled={!file || busy || !bounds.ok}
          data-testid="lab-submit"
        >
          Transcribe
        </button>
      </div>
      {!bounds.ok ? (
        <p className="small error-text" id={`${id}-bounds`} role="alert">
          {bounds.error}
        </p>
      ) : null}
    </form>
  );
}

interface NumberFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  invalid: boolean;
}

function NumberField({ id, label, value, onChange, invalid }: NumberFieldProps) {
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="input input-narrow"
        type="number"
        inputMode="numeric"
        min={1}
        max={32}
        step={1}
        value={value}
        placeholder="any"
        aria-invalid={invalid || undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}
