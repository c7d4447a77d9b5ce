// auth_failed: the Spark refused Spark Control's key; show the command that authorizes it.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { NodeHardware } from '../../common/api.js';
import { checkNodeNow, queryKeys } from '../api/endpoints.js';
import { useMeta, usePublicKey } from '../hooks/queries.js';
import { CopyBox } from './CopyBox.js';

export function AuthFailedHelp({ node }: { node: NodeHardware }) {
  const { data: meta } = useMeta();
  const { data: key, error } = usePublicKey();
  const command = key?.commands.find((c) => c.node === node.name);
  const user = command?.user ?? meta?.nodes.find((n) => n.name === node.name)?.user;
  const host = command?.host ?? node.host;
  const target = user ? `${user}@${host}` : host;
  const client = useQueryClient();
  const check = useMutation({
    mutationFn: () => checkNodeNow(node.name),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.hardware }),
  });
  const refused = check.data && check.data.connection.state !== 'connected';

  return (
    <>
      <p>
        Spark Control's key is not authorized for <code>{target}</code>. Add it to that user's{' '}
        <code>~/.ssh/authorized_keys</code>: run this on <code>{target}</code>.
      </p>
      {command ? (
        <CopyBox
          text={command.command}
          label={`Copy install command for ${node.name}`}
          testId={`auth-command-${node.name}`}
        />
      ) : key ? (
        <CopyBox text={key.public_key} label="Copy public key" testId={`auth-command-${node.name}`} />
      ) : error ? (
        <p className="error-text small">Could not load the public key: {error.message}</p>
      ) : (
        <p className="muted small">Loading the command…</p>
      )}
      <p className="muted small">
        The card turns green on the next probe once the key is accepted.{' '}
        <button
          type="button"
          className="btn"
          onClick={() => check.mutate()}
          disabled={check.isPending}
          data-testid={`check-now-${node.name}`}
        >
          {check.isPending ? 'Checking…' : 'Check now'}
        </button>
      </p>
      {refused ? (
        <p className="error-text small" data-testid={`check-result-${node.name}`}>
          Still refused: {check.data.connection.error ?? check.data.connection.state}
        </p>
      ) : null}
      {check.error ? <p className="error-text small">{check.error.message}</p> : null}
    </>
  );
}
