import type { Migration } from '../migrations.js';

export const coordinationMigrations: Migration[] = [];
