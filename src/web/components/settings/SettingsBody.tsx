// The settings dialog's content: the file's state, the last save's result, the restart, and the
// form (reloaded from the server after every successful save or restart).
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ConfigSaved, ConfigView } from '../../../common/config-api.js';
import { errorMessage } from '../../api/client.js';
import { configKey, getConfig } from '../../api/config.js';
import { ProblemList } from './ProblemList.js';
import { RestartPanel, SaveResult } from './SaveResult.js';
import { SettingsEditor } from './SettingsEditor.js';

function FileBanner({ file }: { file: ConfigView['file'] }) {
  if (file.state !== 'invalid') return null;
  return (
    <div className="banner banner-danger" role="alert" data-testid="settings-file-invalid">
      <p>
        <strong>The config file on disk is invalid</strong> (<code>{file.path}</code>); the running settings
        are kept. Saving here replaces the file with the settings below.
      </p>
      <ProblemList problems={file.problems} />
    </div>
  );
}

export default function SettingsBody() {
  // Read fresh each time the dialog opens (gcTime 0), and never refetched behind the owner's edits.
  const query = useQuery({
    queryKey: configKey,
    queryFn: ({ signal }) => getConfig(signal),
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
  const [saved, setSaved] = useState<ConfigSaved | null>(null);
  const [restarted, setRestarted] = useState(false);

  if (query.isPending) return <p className="muted">Loading the settings…</p>;
  if (query.isError)
    return (
      <div className="stack-tight">
        <p className="error-text" role="alert" data-testid="settings-load-error">
          Could not load the settings: {errorMessage(query.error)}
        </p>
        <div className="button-row">
          <button type="button" className="btn" onClick={() => void query.refetch()}>
            Try again
          </button>
        </div>
      </div>
    );

  const view = query.data;
  const needsRestart = view.restart_pending || saved?.restart_required === true;
  return (
    <div className="stack settings-body">
      <FileBanner file={view.file} />
      {restarted ? (
        <p className="banner banner-info" role="status" data-testid="settings-restarted">
          Spark Control restarted; these are the settings it runs with now.
        </p>
      ) : null}
      {saved ? <SaveResult saved={saved} /> : null}
      {needsRestart ? (
        <RestartPanel
          onBack={async () => {
            setSaved(null);
            setRestarted(true);
            await query.refetch();
          }}
        />
      ) : null}
      <SettingsEditor
        // A successful save or a restart reloads the form from what the server now holds.
        key={query.dataUpdatedAt}
        view={view}
        onSaved={async (s) => {
          setSaved(s);
          setRestarted(false);
          await query.refetch();
        }}
        onReload={() => query.refetch()}
      />
    </div>
  );
}
