// "Show public key": Spark Control's SSH public key, its fingerprint, and per node the command
// that authorizes it there.
import { usePublicKey } from '../hooks/queries.js';
import { CopyBox } from './CopyBox.js';
import { Modal } from './Modal.js';

export function PublicKeyDialog() {
  return (
    <Modal
      wide
      title="Spark Control's SSH public key"
      description="Spark Control logs in to each Spark with this key. Add it to the Spark user's ~/.ssh/authorized_keys."
      testId="public-key-dialog"
      trigger={
        <button type="button" className="btn" data-testid="show-public-key">
          Show public key
        </button>
      }
    >
      <PublicKeyBody />
    </Modal>
  );
}

function PublicKeyBody() {
  const { data, error, isPending } = usePublicKey();
  if (isPending) return <p className="muted">Loading the key…</p>;
  if (error) return <p className="error-text">Could not load the public key: {error.message}</p>;

  return (
    <div className="stack">
      <CopyBox text={data.public_key} label="Copy public key" testId="public-key-copy" />
      <p className="small">
        Fingerprint: <code data-testid="public-key-fingerprint">{data.fingerprint}</code>
      </p>
      {data.commands.length === 0 ? (
        <p className="muted">No Sparks are configured yet, so there are no per-node commands.</p>
      ) : (
        data.commands.map((c) => (
          <div key={c.node} className="stack-tight" data-testid={`public-key-command-${c.node}`}>
            <h3 className="subhead">{c.node}</h3>
            <p className="small">
              Run this on{' '}
              <code>
                {c.user}@{c.host}
              </code>
              :
            </p>
            <CopyBox text={c.command} label={`Copy command for ${c.node}`} />
          </div>
        ))
      )}
    </div>
  );
}
