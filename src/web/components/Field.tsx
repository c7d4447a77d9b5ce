// A labelled text input (or textarea) with help, a soft hint, or an error below it.
import { useId } from 'react';

interface FieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  help?: string;
  hint?: string;
  error?: string;
  placeholder?: string;
  inputMode?: 'text' | 'decimal' | 'numeric';
  multiline?: boolean;
  mono?: boolean;
  testId?: string;
}

export function Field(p: FieldProps) {
  const id = useId();
  const note = p.error ?? p.hint ?? p.help;
  const noteClass = p.error ? 'field-help error-text' : p.hint ? 'field-help warn-text' : 'field-help';
  const common = {
    id,
    className: p.mono ? 'input mono' : 'input',
    value: p.value,
    placeholder: p.placeholder,
    'aria-invalid': p.error ? true : undefined,
    'aria-describedby': note ? `${id}-note` : undefined,
    'data-testid': p.testId,
  };
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {p.label}
      </label>
      {p.multiline ? (
        <textarea {...common} rows={3} spellCheck={false} onChange={(e) => p.onChange(e.target.value)} />
      ) : (
        <input {...common} type="text" inputMode={p.inputMode} onChange={(e) => p.onChange(e.target.value)} />
      )}
      {note ? (
        <p id={`${id}-note`} className={noteClass}>
          {note}
        </p>
      ) : null}
    </div>
  );
}
