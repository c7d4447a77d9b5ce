// Shapes of the redaction gateway's HTTP API (SPEC §11), shared by the server and the dashboard.

/** POST /scrub */
export interface ScrubRequest {
  text: string;
  /** Reuse a task's placeholders (same value → same placeholder); a new task when absent. */
  task_id?: string;
  /** Only these entity types (default: all built-in types and custom patterns). */
  entities?: string[];
  /** Default region for phone numbers written without a country code (ISO 3166 alpha-2, e.g. "US"). */
  language?: string;
}

export interface EntityFoundView {
  type: string;
  placeholder: string;
  count: number;
}

export interface ScrubResponse {
  text: string;
  task_id: string;
  entities_found: EntityFoundView[];
}

/** POST /rehydrate */
export interface RehydrateRequest {
  text: string;
  task_id: string;
}

export interface RehydrateResponse {
  text: string;
  task_id: string;
}

/** GET /api/redaction/tasks/{task_id}: placeholders and types, never values. */
export interface RedactionTaskView {
  task_id: string;
  created_at: string;
  /** When the vault purges the task (redaction.retention_hours after its last use). */
  expires_at: string;
  placeholders: { placeholder: string; type: string }[];
}

/** task_id: what /scrub issues and accepts. */
export const TASK_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$';
