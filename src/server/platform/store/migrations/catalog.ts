import type { Migration } from '../migrations.js';

export const catalogMigrations: Migration[] = [];
