// Optional admin auth (SPEC §14): who may use control routes and dashboard reads. On when a
// password hash or an admin token is configured. Tokens are compared digest to digest with
// timingSafeEqual against every entry (like the gateway's keys); gateway /v1 keys are never
// consulted here, so they cannot grant a control route.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthSessionResponse } from '../../../common/api.js';
import type { AppConfig } from '../../config/types.js';
import { bearerToken } from '../gateway/auth.js';
import { sessionIdFrom } from './cookie.js';
import { verifyPassword } from './password.js';
import type { SessionStore } from './store.js';

export type AdminIdentity = { method: 'session' } | { method: 'token'; name: string };

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
/** Each check holds 128 MiB for a moment; more at once would only trade memory for nothing. */
const PARALLEL_CHECKS = 2;

/** 127.0.0.0/8, ::1 and localhost: nobody else can reach a server listening there. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(h);
}

export class AdminAuth {
  private readonly tokens: { name: string; digest: Buffer }[];
  private readonly passwordHash: string | null;
  private readonly ttlMs: number;
  private checking = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly o: { auth: AppConfig['auth']; listenHost: string; sessions: SessionStore }) {
    this.tokens = o.auth.admin_tokens.map((t) => ({ name: t.name, digest: digest(t.token) }));
    this.passwordHash = o.auth.admin_password_hash;
    this.ttlMs = o.auth.session_hours * 3600_000;
  }

  get enabled(): boolean {
    return this.passwordHash !== null || this.tokens.length > 0;
  }

  get passwordConfigured(): boolean {
    return this.passwordHash !== null;
  }

  get sessionMaxAgeS(): number {
    return Math.floor(this.ttlMs / 1000);
  }

  /** The admin behind a request's session cookie or bearer token, or null. */
  identify(headers: { authorization?: string; cookie?: string }): AdminIdentity | null {
    const token = bearerToken(headers.authorization);
    if (token !== null) {
      const got = digest(token);
      let match: string | null = null;
      for (const t of this.tokens) if (timingSafeEqual(got, t.digest) && match === null) match = t.name;
      if (match !== null) return { method: 'token', name: match };
    }
    const session = sessionIdFrom(headers.cookie);
    return session !== null && this.o.sessions.valid(session) ? { method: 'session' } : null;
  }

  /** A new session id when the password is right, else null. */
  async login(password: string): Promise<string | null> {
    const hash = this.passwordHash;
    if (hash === null) return null;
    if (!(await this.inTurn(() => verifyPassword(password, hash)))) return null;
    return this.o.sessions.create(this.ttlMs);
  }

  /** At most PARALLEL_CHECKS password checks run at once; a finished one hands its turn on. */
  private async inTurn<T>(fn: () => Promise<T>): Promise<T> {
    if (this.checking >= PARALLEL_CHECKS) await new Promise<void>((go) => this.waiting.push(go));
    else this.checking++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.checking--;
    }
  }

  logout(cookie: string | undefined): void {
    const session = sessionIdFrom(cookie);
    if (session !== null) this.o.sessions.delete(session);
  }

  /** Shown by the dashboard when anyone on the network could control the cluster. */
  warning(): string | null {
    if (this.enabled || isLoopbackHost(this.o.listenHost)) return null;
    return (
      `Admin login is off and Spark Control listens on ${this.o.listenHost}: anyone who can reach it on ` +
      'your network can control the cluster. To turn login on, run "npm run hash-password" and set ' +
      'ADMIN_PASSWORD_HASH (or auth.admin_password_hash in the config file), then restart.'
    );
  }

  session(headers: { authorization?: string; cookie?: string }): AuthSessionResponse {
    const who = this.enabled ? this.identify(headers) : null;
    return {
      auth_enabled: this.enabled,
      authenticated: who !== null,
      method: who?.method ?? null,
      warning: this.warning(),
    };
  }
}
