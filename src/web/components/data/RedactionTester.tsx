// The redaction gateway tried by hand: paste text, see it scrubbed with each placeholder
// highlighted, edit the "model's answer" (models change case, add emphasis) and rehydrate it.
// Nothing is stored here but the task id; the values stay in the server's encrypted vault.
import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { ScrubResponse } from '../../../common/redaction-api.js';
import { errorMessage } from '../../api/client.js';
import { deleteRedactionTask, rehydrate, scrub } from '../../api/redaction.js';
import { splitPlaceholders } from '../../lib/placeholders.js';

const SAMPLE =
  'Hi, I am Jane Doe (jane.doe@example.com, +1 415 555 2671). Card 4111 1111 1111 1111, ' +
  'IBAN GB82 WEST 1234 5698 7654 32, server 192.0.2.10, key sk-proj-3xAmPl3K3yV4lu3zQ9rT7w.';

export function RedactionTester() {
  const [text, setText] = useState(SAMPLE);
  const [answer, setAnswer] = useState('');
  const [scrubbed, setScrubbed] = useState<ScrubResponse | null>(null);
  const doScrub = useMutation({
    mutationFn: () => scrub({ text, ...(scrubbed ? { task_id: scrubbed.task_id } : {}) }),
    onSuccess: (r) => {
      setScrubbed(r);
      setAnswer(r.text);
      doRehydrate.reset();
    },
  });
  const doRehydrate = useMutation({
    mutationFn: () => rehydrate({ text: answer, task_id: scrubbed?.task_id ?? '' }),
  });
  const forget = useMutation({
    mutationFn: () => deleteRedactionTask(scrubbed?.task_id ?? ''),
    onSuccess: () => {
      setScrubbed(null);
      setAnswer('');
      doRehydrate.reset();
    },
  });
  const error = doScrub.error ?? doRehydrate.error ?? forget.error;

  return (
    <section className="card data-panel" aria-label="Redaction tester" data-testid="redaction-tester">
      <header className="card-title-row">
        <h3 className="model-name">Redaction</h3>
        {scrubbed ? (
          <span className="small muted" data-testid="redaction-task">
            task <code>{scrubbed.task_id}</code>
          </span>
        ) : null}
      </header>
      <TextBox label="Text with personal data" rows={4} value={text} onChange={setText} testId="redaction-input" />
      <div className="button-row">
        <button
          type="button"
          className="btn btn-primary"
          disabled={doScrub.isPending || text.trim() === ''}
          onClick={() => doScrub.mutate()}
          data-testid="redaction-scrub"
          title={scrubbed ? 'Scrub again in the same task: the same values keep their placeholders' : undefined}
        >
          {doScrub.isPending ? 'Scrubbing…' : 'Scrub'}
        </button>
        {scrubbed ? (
          <button
            type="button"
            className="btn btn-ghost"
            disabled={forget.isPending}
            onClick={() => forget.mutate()}
            data-testid="redaction-forget"
            title="Delete this task's placeholder map from the vault now"
          >
            Forget task
          </button>
        ) : null}
      </div>
      {scrubbed ? <ScrubbedView result={scrubbed} /> : null}
      {scrubbed ? (
        <>
          <TextBox
            label="A model's answer (edit it: change case, add **emphasis**)"
            rows={3}
            value={answer}
            onChange={setAnswer}
            testId="redaction-answer"
          />
          <div className="button-row">
            <button
              type="button"
              className="btn"
              disabled={doRehydrate.isPending}
              onClick={() => doRehydrate.mutate()}
              data-testid="redaction-rehydrate"
            >
              {doRehydrate.isPending ? 'Rehydrating…' : 'Rehydrate'}
            </button>
          </div>
        </>
      ) : null}
      {doRehydrate.data ? (
        <pre className="redaction-output" data-testid="redaction-rehydrated">
          {doRehydrate.data.text}
        </pre>
      ) : null}
      {error ? (
        <p className="small error-text" role="alert">
          {errorMessage(error)}
        </p>
      ) : null}
    </section>
  );
}

function ScrubbedView({ result }: { result: ScrubResponse }) {
  const parts = splitPlaceholders(result.text, result.entities_found);
  return (
    <div className="stack-tight">
      <pre className="redaction-output" data-testid="redaction-scrubbed">
        {parts.map((p, i) =>
          p.kind === 'text' ? (
            p.text
          ) : (
            <mark key={i} className="placeholder-mark" title={p.type}>
              {p.text}
            </mark>
          ),
        )}
      </pre>
      <p className="small muted" data-testid="redaction-found">
        {result.entities_found.length === 0
          ? 'Nothing found.'
          : result.entities_found.map((f) => `${f.placeholder} ×${f.count}`).join(' · ')}
      </p>
    </div>
  );
}

/** A labelled monospace text area (the tester's input and the editable answer). */
function TextBox(p: {
  label: string;
  rows: number;
  value: string;
  onChange: (v: string) => void;
  testId: string;
}) {
  const id = useId();
  return (
    <>
      <label className="field-label" htmlFor={id}>
        {p.label}
      </label>
      <textarea
        id={id}
        className="input mono"
        rows={p.rows}
        value={p.value}
        onChange={(e) => p.onChange(e.target.value)}
        data-testid={p.testId}
      />
    </>
  );
}
