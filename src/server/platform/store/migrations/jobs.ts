import type { Migration } from '../migrations.js';

export const jobMigrations: Migration[] = [];
