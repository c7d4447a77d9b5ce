// One always-on service: status pill, where it runs (copyable), what it serves, the deep check,
// the job running on it (or the last one, when a restart cut it short or it failed), Start/Restart/
// Stop, and its live log. Bots show docker state only.
import { memo, useCallback, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ServicesResponse } from '../../../common/services-api.js';
import { audioKeys } from '../../api/services.js';
import { useServicesSelect } from '../../hooks/audioQueries.js';
import { lastJobToShow } from '../../lib/lastJob.js';
import { restartCountText, statusPill } from '../../lib/services.js';
import { CopyBox } from '../CopyBox.js';
import { BotUpdateButton } from './BotUpdateButton.js';
import { DeepCheckLine } from './DeepCheckLine.js';
import { JobView } from './JobView.js';
import { LastJobNotice } from './LastJobNotice.js';
import { LogDrawer } from './LogDrawer.js';
import { RemoveServiceButton } from './RemoveServiceButton.js';
import { ServiceActions } from './ServiceActions.js';

const KIND_TEXT = { asr: 'speech to text', tts: 'text to speech', nim: 'NIM', bot: 'bot', custom: 'custom' };

export const ServiceCard = memo(function ServiceCard({ name }: { name: string }) {
  const client = useQueryClient();
  const select = useCallback((r: ServicesResponse) => r.services.find((s) => s.name === name), [name]);
  const { data: s } = useServicesSelect(select);
  const [jobId, setJobId] = useState<string | null>(null);
  const [logOpen, setLogOpen] = useState(false);
  const onEnd = useCallback(() => {
    void client.invalidateQueries({ queryKey: audioKeys.services, exact: true });
  }, [client]);
  if (!s) return null;

  const pill = statusPill(s);
  const isBot = s.kind === 'bot';
  // A job this page started, or one someone else runs on the container right now.
  const shownJob = jobId ?? (s.job?.state === 'running' ? s.job.id : null);
  // One that ended badly with nothing run after it (a restart cut it short, or it failed): the card
  // says what it left (the server sends none while a job holds the container).
  const lastJob = lastJobToShow(s.last_job, jobId);
  const restarts = restartCountText(s.restart_count);

  return (
    <article
      className="card service-card"
      data-testid={`service-card-${s.name}`}
      data-docker-state={s.docker_state}
      data-health={s.health ?? 'none'}
      aria-label={`Service ${s.name}`}
    >
      <header className="card-head">
        <div className="card-title-row">
          <h3 className="model-name">{s.name}</h3>
          <span
            className={`pill pill-${pill.tone}`}
            data-testid={`service-status-${s.name}`}
            data-tone={pill.tone}
            title={pill.title ?? undefined}
          >
            {pill.label}
          </span>
          <span className="pill pill-muted">{KIND_TEXT[s.kind]}</span>
          {s.api === 'nim' && s.kind !== 'nim' ? <span className="pill pill-info">NVIDIA NIM</span> : null}
          {s.custom ? <span className="pill pill-accent">installed</span> : null}
        </div>
        <div className="card-sub">
          <span className="mono">{s.container}</span>
          <span>on {s.node}</span>
          {restarts ? <span data-testid={`restart-count-${s.name}`}>{restarts}</span> : null}
        </div>
      </header>
      <div className="card-body stack">
        {s.error ? (
          <p className="small error-text" role="status" data-testid={`service-error-${s.name}`}>
            {s.docker_state === 'unknown' ? 'State unknown: ' : ''}
            {s.error}
          </p>
        ) : null}
        <CopyRow label="Host" text={s.host} copyLabel={`Copy host of ${s.name}`} />
        {s.base_url ? (
          <CopyRow label="Base URL" text={s.base_url} copyLabel={`Copy base URL of ${s.name}`} />
        ) : null}
        {s.models.length > 0 ? (
          <div className="stack-tight">
            <span className="subhead">{s.models.length > 1 ? 'Models' : 'Model'}</span>
            {s.models.map((m) => (
              <CopyBox key={m} text={m} label={`Copy model ${m}`} />
            ))}
          </div>
        ) : null}
        {isBot ? (
          <p className="small muted">
            Status is docker state only: running means the container is up, not that the bot is connected.
          </p>
        ) : (
          <DeepCheckLine service={s} />
        )}
        {lastJob ? <LastJobNotice job={lastJob} testId={`service-last-job-${s.name}`} /> : null}
        {shownJob ? (
          <div className="stack-tight">
            <JobView
              key={shownJob}
              id={shownJob}
              title={`Job on ${s.name}`}
              onEnd={onEnd}
              testId={`service-job-${s.name}`}
            />
            {jobId && s.job?.state !== 'running' ? (
              <button type="button" className="btn btn-ghost small" onClick={() => setJobId(null)}>
                Dismiss
              </button>
            ) : null}
          </div>
        ) : null}
        {logOpen ? <LogDrawer name={s.name} /> : null}
      </div>
      <footer className="card-actions">
        <ServiceActions service={s} onJob={setJobId} />
        {isBot ? <BotUpdateButton service={s} onJob={setJobId} /> : null}
        <button
          type="button"
          className="btn"
          data-testid={`service-logs-${s.name}`}
          aria-expanded={logOpen}
          onClick={() => setLogOpen((o) => !o)}
        >
          {logOpen ? 'Hide logs' : 'View logs'}
        </button>
        {s.custom ? <RemoveServiceButton service={s} /> : null}
      </footer>
    </article>
  );
});

function CopyRow({ label, text, copyLabel }: { label: string; text: string; copyLabel: string }) {
  return (
    <div className="stack-tight">
      <span className="subhead">{label}</span>
      <CopyBox text={text} label={copyLabel} />
    </div>
  );
}
