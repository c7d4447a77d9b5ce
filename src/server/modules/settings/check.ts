// A submitted settings document checked the way start-up checks the file: masks resolved,
// environment keys guarded, merged with the environment and validated by the same function.
// Pure (no disk, no clock): what to write, or every problem at its field.
import type { SettingsDocument, SettingsProblem } from '../../../common/config-api.js';
import { checkSettings } from '../../config/load.js';
import type { Settings } from '../../config/types.js';
import { docPath, docToFile, dropCleared, fileToDoc, projectSettings } from './document.js';
import { envChangeProblems, envKeys, restoreFileValues } from './env-keys.js';
import { unmaskDocument } from './secrets.js';

type Env = Record<string, string | undefined>;
type Obj = Record<string, unknown>;

/** The settings in effect and where they came from. */
export interface Effective {
  /** The file as last read or written (its own shape). */
  file: Obj;
  /** The settings in effect in the page's shape, secrets in clear (never sent as is). */
  doc: SettingsDocument;
  /** Environment-set keys (page coordinates) → variable. */
  env: Record<string, string>;
}

const REQUIRED = /^must have required propert(?:y|ies) (.+)$/;

/**
 * Problems in the page's coordinates, one per field: a missing field is reported at the field
 * itself (the schema reports it at its parent), so the form shows it beside the empty box.
 */
export const located = (problems: { path: string; message: string }[]): SettingsProblem[] => {
  const seen = new Set<string>();
  return problems
    .flatMap((p) => {
      const missing = REQUIRED.exec(p.message);
      if (!missing) return [p];
      const parent = p.path === '(top level)' ? '' : `${p.path}.`;
      return missing[1]!.split(/,\s*/).map((name) => ({
        path: `${parent}${name.replace(/['"]/g, '').trim()}`,
        message: 'is required',
      }));
    })
    .map((p) => ({ path: docPath(p.path), message: p.message }))
    .filter((p) => !seen.has(`${p.path}\n${p.message}`) && seen.add(`${p.path}\n${p.message}`));
};

export type Checked =
  | { ok: false; problems: SettingsProblem[] }
  | { ok: true; settings: Settings; doc: SettingsDocument; file: Obj; env: Record<string, string> };

export function checkSubmitted(submitted: SettingsDocument, current: Effective, env: Env): Checked {
  const unmasked = unmaskDocument(submitted, current.doc);
  const cleaned = dropCleared(unmasked.doc) as SettingsDocument;
  const envProblems = envChangeProblems(cleaned, current.doc, current.env);
  const { validate, write } = restoreFileValues(cleaned, fileToDoc(current.file), current.doc, current.env);
  const checked = checkSettings(docToFile(validate), env);
  const problems = located([...unmasked.problems, ...envProblems, ...checked.problems]);
  if (problems.length > 0 || checked.settings === null) return { ok: false, problems };
  return {
    ok: true,
    settings: checked.settings,
    doc: projectSettings(checked.settings, checked.candidate),
    file: docToFile(write),
    env: envKeys(checked.origins),
  };
}
