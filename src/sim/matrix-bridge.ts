// The matrix-bridge bot on the speech node, as the owner runs it: a real git clone at
// ~/matrix-bridge (tracking a bare origin in the sim's data dir) with a docker-compose.yml that
// builds the bot's image, and the `matrix-bridge` container it runs. Faults add upstream commits
// (Update then has something to fetch) or leave a local edit (Update must refuse a dirty clone).
// Rebuilt on every start with fixed commit dates, like launcher-repo.ts.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerSpec } from './containers.js';
import { SimGitRepo } from './git-repo.js';

export const BRIDGE_CONTAINER = 'matrix-bridge';
/** What `docker compose up --build` tags the image in a directory named matrix-bridge. */
export const BRIDGE_IMAGE = 'matrix-bridge-matrix-bridge';
const DATE = '2026-06-14T18:03:11+00:00';

const FILES: Record<string, string> = {
  'docker-compose.yml': [
    'services:',
    '  matrix-bridge:',
    '    build: .',
    `    container_name: ${BRIDGE_CONTAINER}`,
    '    restart: unless-stopped',
    '    env_file: .env',
    '    command: python3 -m bridge',
    '',
  ].join('\n'),
  Dockerfile: [
    'FROM python:3.12-slim',
    'WORKDIR /app',
    'COPY requirements.txt .',
    'RUN pip install -r requirements.txt',
    'COPY . .',
    'CMD ["python3", "-m", "bridge"]',
    '',
  ].join('\n'),
  'requirements.txt': 'matrix-nio==0.25.2\nhttpx==0.28.1\n',
  'bridge.py':
    '# Relays Matrix rooms to the local speech and chat services.\nprint("matrix-bridge starting")\n',
  '.gitignore': '.env\n',
  'CHANGELOG.md': '# Changelog\n\n- First release\n',
};

export class MatrixBridgeRepo extends SimGitRepo {
  constructor(
    dataDir: string,
    /** ~/matrix-bridge on the bot's node. */
    checkout: string,
  ) {
    super(
      dataDir,
      'matrix-bridge',
      checkout,
      { name: 'matrix-bridge developers', email: 'bot@example.com' },
      DATE,
    );
  }

  init(): void {
    this.startUpstream();
    for (const [f, text] of Object.entries(FILES)) writeFileSync(join(this.upstream, f), text);
    this.git(this.upstream, ['add', '.']);
    this.git(this.upstream, ['commit', '-q', '-m', 'Matrix bridge bot with compose file']);
    this.publishAndClone();
    // The bot's secrets live beside the clone, ignored by git (they survive `git reset --hard`).
    writeFileSync(join(this.checkout, '.env'), 'MATRIX_HOMESERVER=https://matrix.example.org\n');
  }

  /** Leaves (or reverts) an uncommitted edit to bridge.py in the clone. */
  setDirty(on: boolean): void {
    if (on) appendFileSync(join(this.checkout, 'bridge.py'), '# local hotfix\n');
    else this.git(this.checkout, ['checkout', '-q', '--', 'bridge.py']);
  }

  head(): string {
    return this.git(this.checkout, ['rev-parse', 'HEAD']).trim();
  }
}

export function bridgeSpec(): ContainerSpec {
  return {
    name: BRIDGE_CONTAINER,
    image: BRIDGE_IMAGE,
    command: ['python3', '-m', 'bridge'],
    restartPolicy: 'unless-stopped',
    network: 'matrix-bridge_default',
    stopDelayMs: 400,
    startDelayMs: 300,
  };
}

export function bridgeLog(): string[] {
  return [
    'matrix-bridge starting',
    'INFO bridge: logged in to https://matrix.example.org as @bot:example.org',
    'INFO bridge: \u001b[32msynced\u001b[0m 3 rooms',
  ];
}
