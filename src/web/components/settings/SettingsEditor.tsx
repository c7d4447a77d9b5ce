// The settings form: every section of SPEC §1, problems placed beside their fields, and Save.
// A refused save keeps everything typed; only a successful one reloads the form from the server.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { ConfigSaved, ConfigView, SettingsProblem } from '../../../common/config-api.js';
import { ApiError, errorMessage } from '../../api/client.js';
import { saveConfig } from '../../api/config.js';
import { SettingsContext } from './context.js';
import { documentToForm, formToDocument } from './form.js';
import { ClusterSection, UrlsSection, VllmSection } from './GeneralSection.js';
import { ApiKeysSection, WebhooksSection } from './KeysSection.js';
import { NodesSection } from './NodesSection.js';
import { OtherSections } from './OtherSections.js';
import { ProblemList } from './ProblemList.js';
import { knownPaths, placeProblems } from './problems.js';
import { SecretsSection } from './SecretsSection.js';
import { ServicesSection } from './ServicesSection.js';

interface Props {
  view: ConfigView;
  onSaved: (saved: ConfigSaved) => Promise<unknown>;
  /** Loads the settings again (the form with them): after a save refused as out of date. */
  onReload: () => Promise<unknown>;
}

export function SettingsEditor({ view, onSaved, onReload }: Props) {
  const [form, setForm] = useState(() => documentToForm(view.settings));
  const [problems, setProblems] = useState<SettingsProblem[]>([]);
  const rootRef = useRef<HTMLFormElement>(null);

  const placed = useMemo(() => placeProblems(problems, knownPaths(form)), [problems, form]);
  const context = useMemo(() => ({ problems: placed.at, env: view.env }), [placed.at, view.env]);

  const save = useMutation({
    mutationFn: async () => {
      const local = formToDocument(form);
      if (local.problems.length > 0)
        return { ok: false as const, message: 'Fix these first.', problems: local.problems };
      // Based on the file this form was loaded from (the editor is remounted on every reload).
      return saveConfig(local.document, view.revision);
    },
    onSuccess: async (outcome) => {
      if (outcome.ok) {
        setProblems([]);
        await onSaved(outcome.saved);
      } else {
        setProblems(outcome.problems);
      }
    },
  });

  // Take the owner to the first problem after a refused save.
  useEffect(() => {
    if (problems.length === 0) return;
    const first = rootRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], [role="alert"]');
    first?.scrollIntoView({ block: 'center' });
    if (first?.matches('input, select, textarea')) first.focus();
  }, [problems]);

  const count = problems.length;
  return (
    <SettingsContext value={context}>
      <form
        ref={rootRef}
        className="settings-form"
        data-testid="settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        {count > 0 ? (
          <div className="banner banner-danger" role="alert" data-testid="settings-refused">
            <p>
              <strong>Not saved</strong> — {count} {count === 1 ? 'problem' : 'problems'}, each shown beside
              its field. Nothing was written.
            </p>
            <ProblemList problems={placed.unplaced} testId="settings-problems" />
          </div>
        ) : null}
        <ClusterSection form={form} setForm={setForm} />
        <NodesSection form={form} setForm={setForm} simulated={view.simulated} />
        <VllmSection form={form} setForm={setForm} />
        <ServicesSection form={form} setForm={setForm} />
        <UrlsSection form={form} setForm={setForm} />
        <ApiKeysSection form={form} setForm={setForm} />
        <WebhooksSection form={form} setForm={setForm} />
        <SecretsSection form={form} setForm={setForm} />
        <OtherSections form={form} setForm={setForm} />
        <div className="settings-footer">
          {save.error instanceof ApiError && save.error.code === 'CONFIG_CHANGED' ? (
            <p className="error-text small" role="alert" data-testid="settings-conflict">
              {save.error.message}{' '}
              <button type="button" className="btn" onClick={() => void onReload()}>
                Reload settings
              </button>
            </p>
          ) : save.error ? (
            <p className="error-text small" role="alert" data-testid="settings-save-error">
              Could not save: {errorMessage(save.error)}
            </p>
          ) : null}
          <span className="small muted settings-file">
            Writes <code>{view.file.path}</code>
          </span>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={save.isPending}
            data-testid="settings-save"
          >
            {save.isPending ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </SettingsContext>
  );
}
