// "Download" in place of "Switch" while a node the model runs on lacks its complete weights (the
// server would refuse the switch with 409 weights_missing): it opens the download dialog
// pre-filled with the repo and those nodes. A local-path model cannot be downloaded: Switch stays
// and says why it would be refused. Unknown nodes do not count (they could not be asked).
import { useCallback } from 'react';
import type { CatalogModel } from '../../../common/api.js';
import type { DiskStatusResponse } from '../../../common/disk-api.js';
import { requestDownload } from '../../hooks/downloadRequest.js';
import { joinNames } from '../../lib/swap.js';
import { SwitchButton } from '../SwitchButton.js';
import { useDiskStatus } from './diskApi.js';
import { lackingNodes } from './diskView.js';

export function SwitchOrDownload({ model }: { model: CatalogModel }) {
  const select = useCallback(
    (r: DiskStatusResponse) => lackingNodes(r.models.find((m) => m.key === model.key)).join(','),
    [model.key],
  );
  const { data: joined = '' } = useDiskStatus(select);
  const lacking = joined ? joined.split(',') : [];
  if (lacking.length === 0 || model.loaded) return <SwitchButton model={model} />;
  if (!model.repo)
    return (
      <>
        <SwitchButton model={model} />
        <span className="small warn-text switch-why" data-testid={`switch-why-${model.key}`}>
          Not on {joinNames(lacking)}
        </span>
      </>
    );
  const repo = model.repo;
  return (
    <button
      type="button"
      className="btn btn-primary"
      data-testid={`download-${model.key}`}
      title={`The weights (${repo}) are not complete on ${joinNames(lacking)}: download them there before switching`}
      onClick={() => requestDownload(repo, lacking)}
    >
      Download
    </button>
  );
}
