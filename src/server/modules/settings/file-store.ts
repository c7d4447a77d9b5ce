// The config file on disk: written atomically (a temp file in the same directory, fsync, rename)
// with mode 0600 because it holds secrets, the previous file kept as `<file>.bak`. A failure
// leaves the old file as it was and says what went wrong in words an owner can act on.
import { constants, existsSync, statSync, type BigIntStats } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { stringify } from 'yaml';

const MODE = 0o600;

export class ConfigWriteError extends Error {
  constructor(
    readonly status: 409 | 507,
    readonly code: 'CONFIG_NOT_WRITABLE' | 'CONFIG_DISK_FULL' | 'CONFIG_WRITE_FAILED' | 'CONFIG_CHANGED',
    message: string,
  ) {
    super(message);
    this.name = 'ConfigWriteError';
  }
}

/**
 * The file's revision ("none" while there is no file). The settings page sends back the one it
 * loaded, so a save over a file changed since (another tab, a hand edit) is refused instead of
 * silently undoing that change. Made from the file's identity and times (inode, size, mtime in ns),
 * not its bytes: a hash of a file holding secrets is not handed to clients. Every save is a new
 * inode (write + rename) and an edit in place moves the mtime.
 */
export function fileRevision(path: string): string {
  let st: BigIntStats;
  try {
    st = statSync(path, { bigint: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw writeFailure(e, path);
  }
  const identity = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}

/** The save's answer when the file changed since the page loaded it (409, nothing written). */
export const configChanged = () =>
  new ConfigWriteError(
    409,
    'CONFIG_CHANGED',
    'The settings were not saved: they were changed since this page loaded them (in another tab, or the file by hand). Reload to see the current settings, then make your change again.',
  );

/** A failed write in the owner's words; the errno decides the status (never a 500). */
export function writeFailure(e: unknown, path: string): ConfigWriteError {
  const code = (e as NodeJS.ErrnoException).code ?? 'unknown';
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new ConfigWriteError(
      507,
      'CONFIG_DISK_FULL',
      `The settings were not saved: the disk holding ${path} is full. The previous file is unchanged.`,
    );
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new ConfigWriteError(
      409,
      'CONFIG_NOT_WRITABLE',
      `The settings were not saved: Spark Control may not write ${dirname(path)} (${code}). Give its user write access to that directory, or set them in the environment. The previous file is unchanged.`,
    );
  return new ConfigWriteError(
    409,
    'CONFIG_WRITE_FAILED',
    `The settings were not saved: writing ${path} failed (${code}). The previous file is unchanged.`,
  );
}

async function writeDurably(path: string, text: string | Buffer): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, MODE);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename itself durable; some filesystems refuse to open a directory — then the
  // rename is as durable as that filesystem makes it.
  const handle = await open(dir, constants.O_RDONLY).catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

const HEADER =
  '# Spark Control settings (SPEC §1), written by the settings page. Environment variables win over\n' +
  '# this file. It holds secrets: keep it readable by Spark Control only (mode 0600).\n';

/**
 * Writes `doc` as YAML to `path` atomically; the previous file (if any) becomes `<path>.bak`.
 * Returns the backup's path (null when there was no previous file).
 */
export async function writeConfigFile(path: string, doc: unknown): Promise<string | null> {
  const dir = dirname(path);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = join(dir, `.${basename(path)}.${tag}.tmp`);
  const backup = `${path}.bak`;
  const hadFile = existsSync(path);
  const tempBackup = join(dir, `.${basename(backup)}.${tag}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeDurably(temp, HEADER + stringify(doc));
    if (hadFile) {
      // The backup also holds secrets: a private copy, swapped in atomically like the file itself.
      await writeDurably(tempBackup, await readFile(path));
      await rename(tempBackup, backup);
    }
    await rename(temp, path);
    await syncDir(dir);
    return hadFile ? backup : null;
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    await rm(tempBackup, { force: true }).catch(() => undefined);
    throw writeFailure(e, path);
  }
}
