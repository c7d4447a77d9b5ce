// "Show public key"'s result: the server's answer as StartOS copy boxes. Pure, unit-tested.

/** `GET /api/ssh/public-key`'s answer (src/common/api.ts PublicKeyResponse). */
export interface PublicKeyAnswer {
  public_key: string;
  fingerprint: string;
  commands: { node: string; host: string; user: string; command: string }[];
}

const box = (name: string, description: string | null, value: string) => ({
  type: 'single' as const,
  name,
  description,
  value,
  copyable: true,
  qr: false,
  masked: false,
});

/** "Show public key": the key, then one copy box per node with its paste-ready command. */
export function publicKeyResult(answer: PublicKeyAnswer) {
  return {
    version: '1' as const,
    title: 'Control plane public key',
    message:
      answer.commands.length > 0
        ? `Run each node's command once on that Spark (it appends the key to ~/.ssh/authorized_keys). Fingerprint ${answer.fingerprint}.`
        : `No Sparks are configured yet: run "Configure Sparks" first. Fingerprint ${answer.fingerprint}.`,
    result: {
      type: 'group' as const,
      value: [
        box(
          'Public key',
          'Add it to ~/.ssh/authorized_keys of the SSH user on each Spark',
          answer.public_key,
        ),
        ...answer.commands.map((c) => box(c.node, `As ${c.user} on ${c.host}`, c.command)),
      ],
    },
  };
}

/**
 * With admin sign-in on, the server's API wants a login the action does not have: the key alone,
 * read from the volume (ssh/id_ed25519.pub); the per-Spark commands are in the dashboard.
 */
export function keyOnlyResult(publicKey: string) {
  return {
    version: '1' as const,
    title: 'Control plane public key',
    message:
      'Admin sign-in is on, so the ready-to-paste command per Spark is in the dashboard (Show public key). Add this key to ~/.ssh/authorized_keys of the SSH user on each Spark.',
    result: { type: 'group' as const, value: [box('Public key', null, publicKey.trim())] },
  };
}
