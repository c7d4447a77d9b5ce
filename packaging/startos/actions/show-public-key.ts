// "Show public key": the control plane's SSH public key and, per configured Spark, the command
// that authorizes it there — the server's own `GET /api/ssh/public-key` answer, as copy boxes.
import { sdk } from '../sdk.js';
import { keyOnlyResult, publicKeyResult, type PublicKeyAnswer } from '../public-key.js';
import { SERVER_PORT } from '../main.js';

export const showPublicKey = sdk.Action.withoutInput(
  'show-public-key',
  async () => ({
    name: 'Show public key',
    description:
      "The control plane's SSH public key, with a ready-to-paste command per Spark that adds it to that Spark's ~/.ssh/authorized_keys.",
    warning: null,
    allowedStatuses: 'only-running',
    group: null,
    visibility: 'enabled',
  }),
  async () => {
    // The action runs beside the daemon, so the server is on loopback.
    const res = await fetch(`http://127.0.0.1:${SERVER_PORT}/api/ssh/public-key`);
    if (res.status === 401)
      return keyOnlyResult(String(await sdk.volumes.main.readFile('ssh/id_ed25519.pub', 'utf8')));
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      throw new Error(body?.error?.message ?? `Spark Control answered ${res.status}`);
    }
    return publicKeyResult((await res.json()) as PublicKeyAnswer);
  },
);
