// Per-node disk summary under the model cards: free space of / and of the HF cache, and the cached
// repos no catalog entry names (with their size and a delete).
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CachedRepo, NodeDisk } from '../../../common/disk-api.js';
import { formatBytes } from '../../lib/format.js';
import { ConfirmDialog } from '../ConfirmDialog.js';
import { deleteRepoDisk, refreshDiskQueries, useDisk } from './diskApi.js';
import { TrashIcon } from './TrashIcon.js';

export function DiskSummary() {
  const { data, error } = useDisk();
  if (!data)
    return error ? <p className="small error-text">Disk inventory unavailable: {error.message}</p> : null;
  return (
    <section className="card" data-testid="disk-summary" aria-label="Disk on each Spark">
      <header className="card-head">
        <h3>Disk</h3>
      </header>
      <div className="card-body stack">
        {data.nodes.map((n) => (
          <NodeDiskLine key={n.node} disk={n} />
        ))}
      </div>
    </section>
  );
}

function NodeDiskLine({ disk }: { disk: NodeDisk }) {
  if (!disk.ok) {
    return (
      <div data-testid={`disk-node-${disk.node}`}>
        <strong>{disk.node}</strong> <span className="pill pill-muted">unknown</span>{' '}
        <span className="small muted">{disk.error}</span>
      </div>
    );
  }
  const loose = disk.repos.filter((r) => r.catalog_keys.length === 0);
  return (
    <div data-testid={`disk-node-${disk.node}`}>
      <div>
        <strong>{disk.node}</strong>{' '}
        <span className="small muted">
          / free {formatBytes(disk.root?.free_bytes)} of {formatBytes(disk.root?.total_bytes)}
          {disk.hf_cache && disk.hf_cache.mount !== disk.root?.mount
            ? ` · HF cache (${disk.hf_cache.mount}) free ${formatBytes(disk.hf_cache.free_bytes)}`
            : ''}
        </span>
      </div>
      {loose.length > 0 ? (
        <ul className="small" aria-label={`Weights on ${disk.node} that no catalog entry names`}>
          {loose.map((r) => (
            <LooseRepo key={r.repo} node={disk.node} repo={r} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function LooseRepo({ node, repo }: { node: string; repo: CachedRepo }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const remove = useMutation({
    mutationFn: () => deleteRepoDisk(node, repo.repo),
    onSuccess: () => setOpen(false),
    onSettled: () => refreshDiskQueries(client),
  });
  return (
    <li data-testid={`disk-repo-${node}-${repo.repo}`}>
      <code>{repo.repo}</code> {formatBytes(repo.bytes)}
      {repo.complete ? '' : ' (incomplete)'}{' '}
      <button
        type="button"
        className="btn btn-danger btn-icon"
        aria-label={`Delete ${repo.repo} from ${node}`}
        title={`Delete ${repo.repo} from ${node}`}
        onClick={() => {
          remove.reset();
          setOpen(true);
        }}
      >
        <TrashIcon />
      </button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Delete ${repo.repo} from ${node}?`}
        confirmLabel={`Delete ${formatBytes(repo.bytes)}`}
        danger
        pending={remove.isPending}
        error={remove.error?.message ?? null}
        onConfirm={() => remove.mutate()}
        testId="disk-repo-delete-dialog"
      >
        <p>
          Removes <code>{repo.repo}</code> from the Hugging Face cache on <strong>{node}</strong>, freeing{' '}
          {formatBytes(repo.bytes)}.
        </p>
      </ConfirmDialog>
    </li>
  );
}
