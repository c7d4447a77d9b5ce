// Trust on first use: the first host key a node presents is pinned in `<dataDir>/known_hosts.json`;
// afterwards only that key is accepted, until the owner re-trusts the node (e.g. after a reinstall).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../http/errors.js';
import { writeFileAtomic } from './atomic-file.js';
import { keyTypeOf, sha256Fingerprint } from './fingerprint.js';

export interface PinnedHostKey {
  /** `host:port` as the transport dials it. */
  hostPort: string;
  type: string;
  fingerprint: string;
  /** ISO timestamp of the first connection that pinned this key. */
  firstSeen: string;
}

export interface HostKeyMismatch {
  mismatch: true;
  /** Fingerprint pinned on first use. */
  expected: string;
  /** Fingerprint the host presents now. */
  presented: string;
}

export type HostKeyCheck = 'trusted' | 'new' | HostKeyMismatch;

interface FileShape {
  version: 1;
  hosts: Record<string, { type: string; fingerprint: string; first_seen: string }>;
}

export class KnownHosts {
  readonly path: string;
  private readonly hosts = new Map<string, PinnedHostKey>();

  constructor(dataDir: string) {
    this.path = join(dataDir, 'known_hosts.json');
    mkdirSync(dataDir, { recursive: true });
    this.load();
  }

  private load(): void {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    // A broken file must stop us loudly: silently starting empty would re-trust every host.
    let parsed: FileShape;
    try {
      parsed = JSON.parse(text) as FileShape;
      if (typeof parsed.hosts !== 'object' || parsed.hosts === null) throw new Error('no "hosts" object');
    } catch (e) {
      throw new AppError(
        'INTERNAL',
        `${this.path} is not a valid known-hosts file (${(e as Error).message}); ` +
          'fix it, or delete it to trust every node again on its next connection',
      );
    }
    for (const [hostPort, h] of Object.entries(parsed.hosts)) {
      if (typeof h?.fingerprint !== 'string') continue;
      this.hosts.set(hostPort, {
        hostPort,
        type: String(h.type),
        fingerprint: h.fingerprint,
        firstSeen: String(h.first_seen),
      });
    }
  }

  private save(): void {
    const file: FileShape = { version: 1, hosts: {} };
    for (const h of [...this.hosts.values()].sort((a, b) => a.hostPort.localeCompare(b.hostPort))) {
      file.hosts[h.hostPort] = { type: h.type, fingerprint: h.fingerprint, first_seen: h.firstSeen };
    }
    writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`, 0o600);
  }

  /** Compares a presented host key blob with the pin; pins it when the host is new. */
  check(hostPort: string, key: Buffer): HostKeyCheck {
    const fingerprint = sha256Fingerprint(key);
    const pinned = this.hosts.get(hostPort);
    if (pinned === undefined) {
      this.hosts.set(hostPort, {
        hostPort,
        type: keyTypeOf(key),
        fingerprint,
        firstSeen: new Date().toISOString(),
      });
      this.save();
      return 'new';
    }
    if (pinned.fingerprint === fingerprint) return 'trusted';
    return { mismatch: true, expected: pinned.fingerprint, presented: fingerprint };
  }

  get(hostPort: string): PinnedHostKey | undefined {
    const h = this.hosts.get(hostPort);
    return h && { ...h };
  }

  /** Drops the pin; the next connection trusts whatever key the host presents. */
  forget(hostPort: string): boolean {
    const had = this.hosts.delete(hostPort);
    if (had) this.save();
    return had;
  }

  list(): PinnedHostKey[] {
    return [...this.hosts.values()].map((h) => ({ ...h }));
  }
}
