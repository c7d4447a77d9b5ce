// The max_model_len knob: a whole number of tokens, explained as pages of text.
import { useId } from 'react';
import { contextHelp } from '../lib/knobs.js';

interface Props {
  value: string;
  error: string | undefined;
  parsed: number | null;
  onChange: (value: string) => void;
}

export function ContextLengthField({ value, error, parsed, onChange }: Props) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        Context length <span className="muted mono">max_model_len</span>
      </label>
      <input
        id={id}
        className="input input-narrow"
        type="text"
        inputMode="numeric"
        placeholder="model maximum"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-help`}
        data-testid="knob-max-model-len"
        onChange={(e) => onChange(e.target.value)}
      />
      <p id={`${id}-help`} className={error ? 'field-help error-text' : 'field-help'}>
        {error ?? `The most tokens one request may use. ${contextHelp(parsed)}`}
      </p>
    </div>
  );
}
