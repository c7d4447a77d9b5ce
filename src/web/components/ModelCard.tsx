// One catalog model: what it is, pre-flight warnings, and Switch (or Download when its weights are
// not on every node it runs on) / Test / Check / Advanced / delete.
import { memo, useCallback } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { ModelsResponse } from '../../common/api.js';
import { testModel, validateModel } from '../api/llm.js';
import { useModelsSelect, useSwapRunning, useSwitchingToKey } from '../hooks/llmQueries.js';
import { useStatus } from '../hooks/queries.js';
import { expectedIsMeasured, expectedLoadText, formatSizeGb } from '../lib/models.js';
import { CheckResult } from './CheckResult.js';
import { DeleteModelButton } from './DeleteModelButton.js';
import { DiskDeleteButton } from './disk/DiskDeleteButton.js';
import { DiskPills } from './disk/DiskPills.js';
import { SwitchOrDownload } from './disk/SwitchOrDownload.js';
import { KnobsDialog } from './KnobsDialog.js';
import { TestResult } from './TestResult.js';
import { WarningList } from './WarningList.js';

const MODE_TITLE = {
  solo: 'Runs on one Spark',
  cluster: 'Runs across all Sparks (tensor parallel over the cluster link)',
};

export const ModelCard = memo(function ModelCard({ modelKey }: { modelKey: string }) {
  const select = useCallback((r: ModelsResponse) => r.models.find((m) => m.key === modelKey), [modelKey]);
  const { data: model } = useModelsSelect(select);
  const swapRunning = useSwapRunning();
  const switchingTo = useSwitchingToKey();
  const test = useMutation({ mutationFn: (served: string) => testModel(served) });
  const check = useMutation({ mutationFn: (key: string) => validateModel(key) });
  // What is loaded follows the live status (updated by every status event), so a card never keeps
  // a flag from a catalog fetch that raced the end of a swap.
  const liveModel = useStatus().data?.vllm.model;
  if (!model) return null;

  const key = model.key;
  const loaded = liveModel === undefined ? model.loaded : liveModel === model.served_model_name;
  return (
    <article
      className={loaded ? 'card model-card model-loaded' : 'card model-card'}
      data-testid={`model-card-${key}`}
      data-loaded={loaded ? 'true' : 'false'}
      aria-label={`Model ${model.display_name}`}
    >
      <header className="card-head">
        <div className="card-title-row">
          <h3 className="model-name">{model.display_name}</h3>
          {loaded ? (
            <span className="pill pill-ok pill-strong" data-testid={`card-state-${key}`}>
              loaded
            </span>
          ) : switchingTo === key ? (
            <span className="pill pill-warn" data-testid={`card-state-${key}`}>
              loading…
            </span>
          ) : null}
        </div>
        <div className="model-id" title={model.served_model_name}>
          {model.served_model_name}
        </div>
      </header>
      <div className="card-body model-body">
        {model.description ? <p className="model-desc">{model.description}</p> : null}
        <div className="pill-row">
          {model.capabilities.map((c) => (
            <span key={c} className="pill pill-info">
              {c}
            </span>
          ))}
          <span className="pill" title={MODE_TITLE[model.mode]}>
            {model.mode}
          </span>
          {model.custom ? <span className="pill pill-accent">custom</span> : null}
          <span className="pill pill-muted" title="Size of the weights">
            {formatSizeGb(model.size_gb)}
          </span>
        </div>
        <DiskPills modelKey={key} />
        <p
          className="small muted"
          title={
            expectedIsMeasured(model)
              ? 'Measured on past switches to this model'
              : "The catalog's estimate; it improves after the first switches"
          }
        >
          {expectedLoadText(model)}
        </p>
        <WarningList warnings={model.warnings} testId={`warnings-${key}`} />
        <TestResult modelKey={key} mutation={test} />
        <CheckResult modelKey={key} mutation={check} />
      </div>
      <footer className="card-actions">
        <SwitchOrDownload model={loaded === model.loaded ? model : { ...model, loaded }} />
        {loaded ? (
          <button
            type="button"
            className="btn"
            data-testid={`test-${key}`}
            disabled={test.isPending || swapRunning}
            title={`Send "Say hello in five words." to ${model.served_model_name}`}
            onClick={() => test.mutate(model.served_model_name)}
          >
            {test.isPending ? 'Testing…' : 'Test'}
          </button>
        ) : null}
        <button
          type="button"
          className="btn"
          data-testid={`check-${key}`}
          disabled={check.isPending}
          title="Run vLLM's own argument parser on exactly the arguments a switch would use (about 5 s)"
          onClick={() => check.mutate(key)}
        >
          {check.isPending ? 'Checking…' : 'Check'}
        </button>
        <KnobsDialog model={model} />
        <DiskDeleteButton model={model} loaded={loaded} />
        {model.custom ? <DeleteModelButton model={model} /> : null}
      </footer>
    </article>
  );
});
