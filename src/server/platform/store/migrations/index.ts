// Every module's migrations in one ordered list. Each module owns a file here and a block of
// ids (hardware 1–9, jobs 10–19, catalog 20–29, swap 30–39, coordination 40–49, connectivity 50–59, auth 60–69) so modules
// never collide; openStore applies them in id order.
import type { Migration } from '../migrations.js';
import { authMigrations } from '../../../modules/auth/store.js';
import { catalogMigrations } from './catalog.js';
import { connectivityMigrations } from './connectivity.js';
import { coordinationMigrations } from './coordination.js';
import { jobMigrations } from './jobs.js';
import { swapMigrations } from './swap.js';

export const MODULE_MIGRATIONS: Migration[] = [
  ...jobMigrations,
  ...catalogMigrations,
  ...swapMigrations,
  ...coordinationMigrations,
  ...connectivityMigrations,
  ...authMigrations,
];
