// Every migration openStore applies, in one list. Each module owns its tables in its own
// `migrations.ts` with a block of ids (nodes 1–9, jobs 10–19, catalog 20–29, swap 30–39,
// coordination 40–49, connectivity 50–59 and 116–117, auth 60–69, deep health 80–84, audio 90–94, speakers 95–99, updates 105–109, redaction 110–114), so modules never collide; a new module
// takes the next free block and adds one line here. The list lives in the store rather than in the
// modules' wiring because the database is opened (and migrated) before buildApp runs.
// Forward-only: never edit a shipped migration, add a new one.
import { audioMigrations } from '../../modules/audio/migrations.js';
import { authMigrations } from '../../modules/auth/migrations.js';
import { catalogMigrations } from '../../modules/catalog/migrations.js';
import { connectivityMigrations } from '../../modules/connectivity/migrations.js';
import { coordinationMigrations } from '../../modules/coordination/migrations.js';
import { deepHealthMigrations } from '../../modules/deep-health/migrations.js';
import { hardwareMigrations } from '../../modules/nodes/migrations.js';
import { redactionMigrations } from '../../modules/redaction/migrations.js';
import { servicesMigrations } from '../../modules/services/migrations.js';
import { speakerMigrations } from '../../modules/audio/speakers/migrations.js';
import { swapMigrations } from '../../modules/swap/migrations.js';
import { updatesMigrations } from '../../modules/updates/migrations.js';
import { jobMigrations } from '../jobs/migrations.js';
import type { Migration } from './db.js';

export type { Migration } from './db.js';

export const MIGRATIONS: Migration[] = [
  ...hardwareMigrations,
  ...jobMigrations,
  ...catalogMigrations,
  ...swapMigrations,
  ...coordinationMigrations,
  ...connectivityMigrations,
  ...authMigrations,
  ...servicesMigrations,
  ...deepHealthMigrations,
  ...audioMigrations,
  ...speakerMigrations,
  ...updatesMigrations,
  ...redactionMigrations,
].sort((a, b) => a.id - b.id);
