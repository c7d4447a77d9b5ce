import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { writeConfigFile, writeFailure } from './file-store.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sc-settings-file-'));
  dirs.push(d);
  return d;
};
const asRoot = process.getuid?.() === 0;
/** A directory nobody may write into: mode 0500, and immutable when root (root ignores modes). */
function lockDir(dir: string): void {
  chmodSync(dir, 0o500);
  if (asRoot) execFileSync('chattr', ['+i', dir]);
}
const unlockDir = (dir: string) => {
  if (asRoot) execFileSync('chattr', ['-i', dir]);
  chmodSync(dir, 0o700);
};
afterEach(() => {
  for (const d of dirs.splice(0)) {
    unlockDir(d);
    rmSync(d, { recursive: true, force: true });
  }
});

describe('writeConfigFile', () => {
  it('writes YAML with mode 0600, keeps the previous file as .bak (0600 too), leaves no temp file', async () => {
    const dir = tempDir();
    const path = join(dir, 'config.yaml');
    expect(await writeConfigFile(path, { cluster_name: 'First' })).toBeNull();
    expect(parse(readFileSync(path, 'utf8'))).toEqual({ cluster_name: 'First' });
    expect(statSync(path).mode & 0o777).toBe(0o600);

    writeFileSync(path, 'cluster_name: Hand\n', { mode: 0o644 });
    expect(await writeConfigFile(path, { cluster_name: 'Second' })).toBe(`${path}.bak`);
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe('cluster_name: Hand\n');
    expect(statSync(`${path}.bak`).mode & 0o777).toBe(0o600);
    expect(parse(readFileSync(path, 'utf8'))).toEqual({ cluster_name: 'Second' });
    expect(readdirSync(dir).sort()).toEqual(['config.yaml', 'config.yaml.bak']);
  });

  it('in a read-only directory: a 409 that says so, the old file intact', async () => {
    const dir = tempDir();
    const path = join(dir, 'config.yaml');
    writeFileSync(path, 'cluster_name: Old\n');
    lockDir(dir);
    const err = await writeConfigFile(path, { cluster_name: 'New' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 409, code: 'CONFIG_NOT_WRITABLE' });
    expect((err as Error).message).toMatch(/previous file is unchanged/);
    expect(readFileSync(path, 'utf8')).toBe('cluster_name: Old\n');
    expect(readdirSync(dir)).toEqual(['config.yaml']);
  });
});

describe('writeFailure', () => {
  it('maps a full disk to 507 and anything unforeseen to 409, never 500', () => {
    const e = (code: string) => Object.assign(new Error('x'), { code });
    expect(writeFailure(e('ENOSPC'), '/d/c.yaml')).toMatchObject({ status: 507, code: 'CONFIG_DISK_FULL' });
    expect(writeFailure(e('EROFS'), '/d/c.yaml')).toMatchObject({ status: 409, code: 'CONFIG_NOT_WRITABLE' });
    expect(writeFailure(new Error('odd'), '/d/c.yaml')).toMatchObject({
      status: 409,
      code: 'CONFIG_WRITE_FAILED',
    });
  });
});
