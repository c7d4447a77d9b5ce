import type { Migration } from '../migrations.js';

export const swapMigrations: Migration[] = [];
