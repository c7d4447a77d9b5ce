// Every other section of the config file (hardware, gateway, audio, deep_health, redaction,
// wake…) as YAML, the file's own syntax; `auth` read-only with its secrets hidden.
import { useId } from 'react';
import { useSettingState } from './context.js';
import type { OtherSection, SettingsForm } from './form.js';
import type { SetForm } from './types.js';

function SectionEditor({ section, onChange }: { section: OtherSection; onChange: (text: string) => void }) {
  const id = useId();
  const { problems, envVar } = useSettingState(section.key);
  const readOnly = section.readOnly || envVar !== undefined;
  return (
    <div className="field settings-field" data-testid={`field-${section.key}`}>
      <label htmlFor={id} className="field-label">
        <code>{section.key}</code>
        {section.readOnly ? <span className="muted small"> (read-only here)</span> : null}
      </label>
      <textarea
        id={id}
        className="input mono settings-yaml"
        rows={Math.min(12, Math.max(2, section.text.split('\n').length + 1))}
        spellCheck={false}
        readOnly={readOnly}
        value={section.text}
        aria-invalid={problems.length > 0 ? true : undefined}
        data-testid={`setting-${section.key}`}
        onChange={(e) => onChange(e.target.value)}
      />
      {envVar ? (
        <p className="field-help settings-env" data-testid={`env-${section.key}`}>
          set by <code>{envVar}</code>
        </p>
      ) : null}
      {problems.map((m, i) => (
        <p key={i} className="field-help error-text" role="alert" data-testid={`problem-${section.key}`}>
          {m}
        </p>
      ))}
    </div>
  );
}

export function OtherSections({ form, setForm }: { form: SettingsForm; setForm: SetForm }) {
  if (form.other.length === 0) return null;
  return (
    <section className="settings-section" aria-labelledby="settings-other" data-testid="settings-other">
      <h3 className="subhead" id="settings-other">
        More settings (YAML)
      </h3>
      <p className="small muted">
        Each section as it appears in the config file. Clear a section to remove it (defaults apply).
      </p>
      {form.other.map((o) => (
        <SectionEditor
          key={o.key}
          section={o}
          onChange={(text) =>
            setForm((f) => ({ ...f, other: f.other.map((x) => (x.key === o.key ? { ...x, text } : x)) }))
          }
        />
      ))}
    </section>
  );
}
