// A real filesystem for the parts of a container the control plane reads and writes: the Parakeet
// app directory. Each container with one has `state/rootfs/<container>.paths` (the absolute
// directories it declares) and its files under `state/rootfs/<container>/<path>`; the docker shim
// maps absolute argv paths under those directories there (`docker exec … sha256sum /opt/…`,
// `python3 -m py_compile`, `cp`, `mkdir`), and `docker cp` copies in and out of it.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeAtomic } from './fsutil.js';

/** Where the seed's Parakeet image keeps its app (main.py and the overlay beside it). */
export const PARAKEET_APP_DIR = '/opt/parakeet/app';

/** The overlay the control plane ships (overlays/parakeet in the checkout). */
export function parakeetOverlaySource(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [join(here, '../../overlays/parakeet'), join(here, '../../../overlays/parakeet')]) {
    if (existsSync(join(dir, 'main.py'))) return dir;
  }
  throw new Error(`overlays/parakeet not found above ${here}`);
}

export class ContainerFs {
  constructor(private readonly stateDir: string) {}

  /** The host directory that stands for `path` inside `container`. */
  hostPath(container: string, path: string): string {
    return join(this.stateDir, 'rootfs', container, path);
  }

  declare(container: string, paths: string[]): void {
    for (const p of paths) mkdirSync(this.hostPath(container, p), { recursive: true });
    writeAtomic(join(this.stateDir, 'rootfs', `${container}.paths`), paths.map((p) => `${p}\n`).join(''));
  }
}

/**
 * The Parakeet container as Spark Control left it last time: its app directory holds the shipped
 * overlay files (so a fresh simulation starts in sync).
 */
export function seedParakeetFs(fs: ContainerFs, container: string, overlay = parakeetOverlaySource()): void {
  fs.declare(container, [PARAKEET_APP_DIR]);
  const app = fs.hostPath(container, PARAKEET_APP_DIR);
  rmSync(app, { recursive: true, force: true });
  mkdirSync(app, { recursive: true });
  for (const f of readdirSync(overlay).filter((n) => n.endsWith('.py'))) {
    cpSync(join(overlay, f), join(app, f));
  }
}

/**
 * A new Parakeet image replaced the app: NVIDIA's stock main.py (no diarize routes) and no diarizer
 * module — the overlay drifts (main.py) and goes missing (diarizer.py) until it is reapplied.
 */
export function upgradeParakeetFs(fs: ContainerFs, container: string): void {
  const app = fs.hostPath(container, PARAKEET_APP_DIR);
  mkdirSync(app, { recursive: true });
  writeFileSync(
    join(app, 'main.py'),
    '"""Parakeet ASR server (image 25.08)."""\nfrom fastapi import FastAPI\n\napp = FastAPI(title="parakeet-asr")\n\n\n@app.get("/health")\ndef health():\n    return {"status": "ok"}\n',
  );
  rmSync(join(app, 'diarizer.py'), { force: true });
}
