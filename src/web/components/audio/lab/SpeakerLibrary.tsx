// The speaker library: every enrolled voice with its number of samples and when it was added,
// renamed in place or deleted (after saying what that does). Transcripts are read again after a
// change, since the names in them come from here.
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { EnrolledSpeaker } from '../../../../common/audio-api.js';
import { errorMessage } from '../../../api/client.js';
import { useConfirmedMutation } from '../../../hooks/useConfirmedMutation.js';
import { useNow } from '../../../hooks/useNow.js';
import { formatWhen, formatWhenPrecise } from '../../../lib/time.js';
import { ConfirmDialog } from '../../ConfirmDialog.js';
import { VisibleText } from '../../VisibleText.js';
import { LoadProblem } from '../LoadProblem.js';
import { deleteSpeaker, renameSpeaker } from './labApi.js';
import { speakerNameProblem } from './labForm.js';
import { labKeys, useSpeakerLibrary } from './labQueries.js';

function useLibraryChanged() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: labKeys.speakers, exact: true }),
      client.invalidateQueries({ queryKey: ['audio-lab', 'result'] }),
    ]);
}

export function SpeakerLibrary() {
  const library = useSpeakerLibrary();
  const speakers = library.data?.speakers ?? [];
  return (
    <div className="stack-tight lab-library" data-testid="lab-library">
      <h4 className="subhead">Speaker library</h4>
      {library.error && !library.data ? <LoadProblem what="Speaker library" error={library.error} /> : null}
      {library.data && speakers.length === 0 ? (
        <p className="small muted" data-testid="lab-library-empty">
          No one enrolled yet. Use “This is…” on a transcript block to name a voice.
        </p>
      ) : null}
      {speakers.length > 0 ? (
        <ul className="lab-speakers">
          {speakers.map((s) => (
            <SpeakerRow key={s.id} speaker={s} />
          ))}
        </ul>
      ) : null}
      {library.data ? (
        <p className="small muted">
          A recording&apos;s voice is named when it matches an enrolled one with a similarity of at least{' '}
          {library.data.match_threshold}.
        </p>
      ) : null}
    </div>
  );
}

function SpeakerRow({ speaker }: { speaker: EnrolledSpeaker }) {
  const now = useNow();
  const changed = useLibraryChanged();
  const [renaming, setRenaming] = useState(false);
  const remove = useConfirmedMutation({
    mutationFn: () => deleteSpeaker(speaker.id),
    onSuccess: () => changed(),
    errorText: errorMessage,
  });
  return (
    <li className="lab-speaker-row" data-testid="lab-speaker" data-name={speaker.name}>
      {renaming ? (
        <RenameForm speaker={speaker} onDone={() => setRenaming(false)} />
      ) : (
        <>
          <span className="lab-speaker-name">
            <VisibleText text={speaker.name} />
          </span>
          <span className="small muted">
            {speaker.samples} sample{speaker.samples === 1 ? '' : 's'} · added{' '}
            <time dateTime={speaker.created_at} title={formatWhenPrecise(speaker.created_at, now)}>
              {formatWhen(speaker.created_at, now)}
            </time>
          </span>
          <span className="lab-spacer" />
          <button
            type="button"
            className="btn"
            onClick={() => setRenaming(true)}
            aria-label={`Rename ${speaker.name}`}
          >
            Rename
          </button>
          <button
            type="button"
            className="btn"
            onClick={remove.ask}
            aria-label={`Delete ${speaker.name}`}
            data-testid="lab-speaker-delete"
          >
            Delete
          </button>
        </>
      )}
      <ConfirmDialog
        {...remove.dialog}
        title={`Delete ${speaker.name}?`}
        confirmLabel="Delete"
        danger
        testId="lab-speaker-delete-dialog"
      >
        <p>
          Deletes {speaker.name} and the stored voice ({speaker.samples} sample
          {speaker.samples === 1 ? '' : 's'}) from the speaker library: later recordings no longer recognise
          this voice, and show it as Speaker N. Transcripts already made are not changed.
        </p>
      </ConfirmDialog>
    </li>
  );
}

function RenameForm({ speaker, onDone }: { speaker: EnrolledSpeaker; onDone: () => void }) {
  const changed = useLibraryChanged();
  const [name, setName] = useState(speaker.name);
  const problem = speakerNameProblem(name);
  const rename = useMutation({
    mutationFn: () => renameSpeaker(speaker.id, name.trim()),
    onSuccess: async () => {
      await changed();
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (problem || rename.isPending) return;
    if (name.trim() === speaker.name) onDone();
    else rename.mutate();
  };
  return (
    <form
      className="lab-enroll"
      onSubmit={submit}
      aria-label={`Rename ${speaker.name}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDone();
      }}
    >
      <input
        className="input input-narrow"
        aria-label={`New name for ${speaker.name}`}
        value={name}
        maxLength={64}
        autoFocus
        aria-invalid={problem ? true : undefined}
        onChange={(e) => setName(e.target.value)}
      />
      <button type="submit" className="btn btn-primary" disabled={!!problem || rename.isPending}>
        {rename.isPending ? 'Saving…' : 'Save'}
      </button>
      <button type="button" className="btn" onClick={onDone}>
        Cancel
      </button>
      {problem || rename.error ? (
        <p className="small error-text lab-enroll-error" role="alert">
          {problem ?? errorMessage(rename.error)}
        </p>
      ) : null}
    </form>
  );
}
