// "This is …": names a voice of this recording. A new name enrolls a new speaker from the
// recording's voice; the name of someone already enrolled adds this voice as another sample of
// theirs. Either way the transcript is read again (it carries the name if the server names
// speakers when a result is read; else the transcript view says the name applies from now on).
import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../../../api/client.js';
import { addSampleFromResult, enrollFromResult } from './labApi.js';
import { speakerDisplayName } from './labFormat.js';
import { labKeys, useSpeakerLibrary } from './labQueries.js';
import { speakerNameProblem } from './labForm.js';

interface Props {
  speaker: string;
  resultId: string;
  resultUrl: string;
  onDone: () => void;
  /** After a successful enrollment: the label and the name it was given. */
  onEnrolled: (label: string, name: string) => void;
}

export function EnrollForm({ speaker, resultId, resultUrl, onDone, onEnrolled }: Props) {
  const id = useId();
  const client = useQueryClient();
  const library = useSpeakerLibrary();
  const [name, setName] = useState('');
  const existing = library.data?.speakers.find((s) => s.name.toLowerCase() === name.trim().toLowerCase());
  const problem = name.trim() === '' ? null : speakerNameProblem(name);
  const enroll = useMutation({
    mutationFn: () =>
      existing
        ? addSampleFromResult(existing.id, resultId, speaker)
        : enrollFromResult(name.trim(), resultId, speaker),
    onSuccess: async (enrolled) => {
      onEnrolled(speaker, enrolled.name);
      await Promise.all([
        client.invalidateQueries({ queryKey: labKeys.speakers, exact: true }),
        client.invalidateQueries({ queryKey: labKeys.result(resultUrl), exact: true }),
      ]);
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim() === '' || problem || enroll.isPending) return;
    enroll.mutate();
  };
  const who = speakerDisplayName(speaker);
  return (
    <form
      className="lab-enroll"
      onSubmit={submit}
      aria-label={`Name ${who}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDone();
      }}
      data-testid="lab-enroll"
    >
      <label className="small" htmlFor={`${id}-name`}>
        {who} is
      </label>
      <input
        id={`${id}-name`}
        className="input input-narrow"
        value={name}
        maxLength={64}
        autoFocus
        list={`${id}-names`}
        placeholder="a name"
        aria-invalid={problem ? true : undefined}
        onChange={(e) => setName(e.target.value)}
        data-testid="lab-enroll-name"
      />
      <datalist id={`${id}-names`}>
        {library.data?.speakers.map((s) => (
          <option key={s.id} value={s.name} />
        ))}
      </datalist>
      <button
        type="submit"
        className="btn btn-primary"
        disabled={name.trim() === '' || !!problem || enroll.isPending}
        data-testid="lab-enroll-save"
      >
        {enroll.isPending ? 'Saving…' : existing ? `Add to ${existing.name}` : 'Enroll'}
      </button>
      <button type="button" className="btn" onClick={onDone}>
        Cancel
      </button>
      {problem || enroll.error ? (
        <p className="small error-text lab-enroll-error" role="alert">
          {problem ?? errorMessage(enroll.error)}
        </p>
      ) : (
        <p className="small muted lab-enroll-error">
          {existing
            ? `This voice becomes another sample of ${existing.name}.`
            : 'Enrolls this voice: later recordings name it.'}
        </p>
      )}
    </form>
  );
}
