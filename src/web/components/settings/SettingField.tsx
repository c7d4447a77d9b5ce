// One labelled settings input. A field set by an environment variable is read-only and says which
// variable; the server's problems for its dotted key show below it.
import { useId, type ReactNode } from 'react';
import { useSettingState } from './context.js';

interface Common {
  /** The dotted config key (`nodes.1.host`): problems and env variables are matched on it. */
  path: string;
  label: string;
  /** Read by screen readers after the label, not shown (`(node 2)` in a row of repeated fields). */
  labelSuffix?: string;
  help?: string;
  /** Visually hidden label (table cells have the column head). */
  hideLabel?: boolean;
  className?: string;
}

interface NotesProps {
  id: string;
  path: string;
  help?: string;
  envVar?: string;
  problems: string[];
}

function FieldNotes({ id, path, help, envVar, problems }: NotesProps) {
  return (
    <>
      {envVar ? (
        <p className="field-help settings-env" id={`${id}-env`} data-testid={`env-${path}`}>
          set by <code>{envVar}</code>
        </p>
      ) : help ? (
        <p className="field-help" id={`${id}-help`}>
          {help}
        </p>
      ) : null}
      {problems.map((m, i) => (
        <p
          key={i}
          className="field-help error-text"
          id={`${id}-p${i}`}
          role="alert"
          data-testid={`problem-${path}`}
        >
          {m}
        </p>
      ))}
    </>
  );
}

function describedBy(id: string, envVar: string | undefined, help: string | undefined, problems: string[]) {
  const ids = [envVar ? `${id}-env` : help ? `${id}-help` : '', ...problems.map((_, i) => `${id}-p${i}`)];
  return ids.filter(Boolean).join(' ') || undefined;
}

function Frame(p: Common & { id: string; envVar?: string; problems: string[]; children: ReactNode }) {
  return (
    <div
      className={`field settings-field ${p.className ?? ''}`}
      data-testid={`field-${p.path}`}
      data-invalid={p.problems.length > 0 ? 'true' : undefined}
    >
      <label htmlFor={p.id} className={p.hideLabel ? 'visually-hidden' : 'field-label'}>
        {p.label}
        {p.labelSuffix ? <span className="visually-hidden"> {p.labelSuffix}</span> : null}
      </label>
      {p.children}
      <FieldNotes id={p.id} help={p.help} envVar={p.envVar} problems={p.problems} path={p.path} />
    </div>
  );
}

interface TextProps extends Common {
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  type?: 'text' | 'password' | 'url';
  inputMode?: 'text' | 'numeric';
  mono?: boolean;
  /** Read-only for a reason other than the environment (e.g. a stored secret). */
  disabled?: boolean;
}

export function TextSetting(p: TextProps) {
  const id = useId();
  const { problems, envVar } = useSettingState(p.path);
  return (
    <Frame {...p} id={id} envVar={envVar} problems={problems}>
      <input
        id={id}
        className={p.mono ? 'input mono' : 'input'}
        type={p.type ?? 'text'}
        inputMode={p.inputMode}
        value={p.value}
        placeholder={p.placeholder}
        readOnly={envVar !== undefined}
        disabled={p.disabled}
        autoComplete={p.type === 'password' ? 'new-password' : 'off'}
        spellCheck={false}
        aria-invalid={problems.length > 0 ? true : undefined}
        aria-describedby={describedBy(id, envVar, p.help, problems)}
        data-testid={`setting-${p.path}`}
        onChange={(e) => p.onChange(e.target.value)}
      />
    </Frame>
  );
}

interface SelectProps extends Common {
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
}

export function SelectSetting(p: SelectProps) {
  const id = useId();
  const { problems, envVar } = useSettingState(p.path);
  // The current value stays choosable even when it is not among the options (e.g. a node removed).
  const options = p.options.some((o) => o.value === p.value)
    ? p.options
    : [{ value: p.value, label: p.value === '' ? '—' : `${p.value} (unknown)` }, ...p.options];
  return (
    <Frame {...p} id={id} envVar={envVar} problems={problems}>
      <select
        id={id}
        className="input"
        value={p.value}
        disabled={envVar !== undefined}
        aria-invalid={problems.length > 0 ? true : undefined}
        aria-describedby={describedBy(id, envVar, p.help, problems)}
        data-testid={`setting-${p.path}`}
        onChange={(e) => p.onChange(e.target.value)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

/** Problems placed on a row or a section (not on one field of it). */
export function ProblemNote({ path }: { path: string }) {
  const { problems } = useSettingState(path);
  if (problems.length === 0) return null;
  return (
    <ul className="settings-row-problems error-text" role="alert" data-testid={`problem-${path}`}>
      {problems.map((m, i) => (
        <li key={i}>
          <code>{path}</code>: {m}
        </li>
      ))}
    </ul>
  );
}

/** "Set by VARIABLE" for a whole section or row. */
export function EnvNote({ path }: { path: string }) {
  const { envVar } = useSettingState(path);
  if (!envVar) return null;
  return (
    <p className="small settings-env" data-testid={`env-${path}`}>
      Set by <code>{envVar}</code>: change it there (read-only here).
    </p>
  );
}
