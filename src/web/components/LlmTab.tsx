// The LLM tab: GPU lock and schedules, then one card per catalog model.
import type { ModelsResponse } from '../../common/api.js';
import { useModelsSelect } from '../hooks/llmQueries.js';
import { AddModelDialog } from './AddModelDialog.js';
import { DownloadDialog } from './downloads/DownloadDialog.js';
import { DiskSummary } from './disk/DiskSummary.js';
import { GpuLockLine } from './GpuLockLine.js';
import { ModelCard } from './ModelCard.js';
import { SchedulesList } from './SchedulesList.js';
import { UpdatesBanner } from './updates/UpdatesBanner.js';
import { VllmStateLine } from './VllmStateLine.js';

const selectKeys = (r: ModelsResponse) => r.models.map((m) => m.key);

export function LlmTab() {
  const { data: keys, error } = useModelsSelect(selectKeys);

  let body;
  if (keys === undefined) {
    body = error ? (
      <p className="error-text">Couldn't load the model catalog: {error.message}</p>
    ) : (
      <p className="muted">Loading models…</p>
    );
  } else if (keys.length === 0) {
    body = <p className="muted">The catalog is empty. Add a model to get started.</p>;
  } else {
    body = (
      <div className="model-grid">
        {keys.map((k) => (
          <ModelCard key={k} modelKey={k} />
        ))}
      </div>
    );
  }

  return (
    <div className="stack">
      <UpdatesBanner />
      <div className="llm-head">
        <div className="llm-head-info">
          <GpuLockLine />
          <SchedulesList />
          <VllmStateLine />
        </div>
        <DownloadDialog />
        <AddModelDialog />
      </div>
      {keys !== undefined && error ? (
        <p className="small error-text">Refresh failed: {error.message} (showing the last catalog)</p>
      ) : null}
      {body}
      <DiskSummary />
    </div>
  );
}
