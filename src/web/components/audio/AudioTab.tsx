// The Audio tab (SPEC §15): a card per always-on service, NIM installs a restart cut short, the
// loopback probe, the speech-model patches, the NIM installer and, on the simulated cluster, the
// chaos switches. Each part stands alone: one that this server does not offer says so and the
// others keep working.
import type { ServicesResponse } from '../../../common/services-api.js';
import { useServicesSelect } from '../../hooks/audioQueries.js';
import { ErrorBoundary } from '../ErrorBoundary.js';
import { ChaosPanel } from './ChaosPanel.js';
import { AudioLabPanel } from './lab/AudioLabPanel.js';
import { LoopbackPanel } from './LoopbackPanel.js';
import { NimInstallDialog } from './NimInstallDialog.js';
import { NimInstallNotices } from './NimInstallNotices.js';
import { PatchesPanel } from './PatchesPanel.js';
import { ServiceCard } from './ServiceCard.js';
import { LoadProblem } from './LoadProblem.js';

const selectNames = (r: ServicesResponse) => r.services.map((s) => s.name).join('\n');

export function AudioTab() {
  const { data: joined, error } = useServicesSelect(selectNames);
  const names = joined ? joined.split('\n') : [];

  let body;
  if (joined === undefined) {
    body = error ? (
      <LoadProblem what="Always-on services" error={error} testId="services-unavailable" />
    ) : (
      <p className="muted">Loading services…</p>
    );
  } else if (names.length === 0 || joined === '') {
    body = <p className="muted">No always-on services are configured. Install a NIM to add one.</p>;
  } else {
    body = (
      <div className="model-grid" data-testid="service-grid">
        {names.map((n) => (
          <ErrorBoundary key={n} what={`service ${n}`}>
            <ServiceCard name={n} />
          </ErrorBoundary>
        ))}
      </div>
    );
  }

  return (
    <div className="stack" data-testid="audio-tab">
      <div className="llm-head">
        <h2 className="subhead audio-title">Always-on services</h2>
        <NimInstallDialog />
      </div>
      {joined !== undefined && error ? (
        <p className="small error-text">Refresh failed: {error.message} (showing the last state)</p>
      ) : null}
      {body}
      <ErrorBoundary what="unfinished NIM installs">
        <NimInstallNotices />
      </ErrorBoundary>
      <div className="audio-panels">
        <ErrorBoundary what="loopback">
          <LoopbackPanel />
        </ErrorBoundary>
        <ErrorBoundary what="patches">
          <PatchesPanel />
        </ErrorBoundary>
        <ErrorBoundary what="chaos">
          <ChaosPanel />
        </ErrorBoundary>
      </div>
      <AudioLabPanel />
    </div>
  );
}
