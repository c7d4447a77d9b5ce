import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { generateEd25519 } from './keys.js';
import { sh } from './sh.js';
import { fingerprintOf, rejection, sleep, sshHarness } from './test-ssh-harness.js';

// Connection failures: unauthorized key, changed host key, dead or silent hosts, cooldown, shutdown.
const h = sshHarness();

/** Polls a condition (no wall-clock margin: it waits as long as the machine needs, up to 20 s). */
async function waitUntil(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !ok(); i++) await sleep(50);
  expect(ok()).toBe(true);
}
const fixture = h.fixture;
const transport = h.transport;
afterEach(() => h.cleanup());
afterAll(() => h.dispose());

describe('failures', () => {
  it('an unauthorized key gives auth_failed with a message naming user@host', async () => {
    const f = await fixture();
    const other = generateEd25519();
    const { t } = transport(f.port, { privateKey: other.private });
    const e = await rejection(t.exec('n1', sh`true`));
    expect(e.code).toBe('NODE_UNREACHABLE');
    expect(e.message).toContain('public key is not authorized on tester@127.0.0.1');
    expect(t.state('n1').state).toBe('auth_failed');
  });

  it('refuses a changed host key with both fingerprints; retrust() recovers', async () => {
    const f1 = await fixture();
    const { t, known } = transport(f1.port);
    await t.exec('n1', sh`true`);
    await f1.stop();
    const f2 = await fixture({ port: f1.port });
    const [fp1, fp2] = [fingerprintOf(f1.hostKey), fingerprintOf(f2.hostKey)];
    const e = await rejection(t.exec('n1', sh`true`));
    expect(e.code).toBe('NODE_UNREACHABLE');
    expect(e.message).toMatch(/host key changed/);
    expect(e.message).toContain(fp1);
    expect(e.message).toContain(fp2);
    expect(e.message).toMatch(/re-trust/);
    expect(t.state('n1')).toMatchObject({ state: 'host_key_changed', expected: fp1, presented: fp2 });
    // No automatic retry, even after the cooldown.
    await sleep(250);
    expect((await rejection(t.exec('n1', sh`true`))).code).toBe('NODE_UNREACHABLE');
    expect(f2.connections).toBe(1);
    await t.retrust('n1');
    expect((await t.exec('n1', sh`echo back`)).stdout).toBe('back\n');
    expect(known.get(`127.0.0.1:${f1.port}`)?.fingerprint).toBe(fp2);
  });

  it('a down server fails fast, is not retried within the cooldown, and reconnects after it', async () => {
    const f1 = await fixture();
    // A cooldown long enough that restarting the fixture never outlasts it, even on a loaded machine.
    const { t } = transport(f1.port, { failureCooldownMs: 1000 });
    await t.exec('n1', sh`true`);
    await f1.stop();
    // Concurrent callers share the one failing attempt.
    const [e, eSame] = await Promise.all([
      rejection(t.exec('n1', sh`true`)),
      rejection(t.exec('n1', sh`true`)),
    ]);
    expect(e.code).toBe('NODE_UNREACHABLE');
    expect(eSame.message).toBe(e.message);
    expect(e.message).toMatch(/connection refused/);
    expect(t.state('n1')).toMatchObject({ state: 'unreachable' });
    // Back up at once, but we are cooling down: fail at once, without dialing.
    const f2 = await fixture({ port: f1.port, hostKey: f1.hostKey });
    const e2 = await rejection(t.exec('n1', sh`true`));
    expect(e2.message).toMatch(/next attempt in/);
    expect(f2.connections).toBe(0);
    const state = t.state('n1');
    expect(state.state === 'unreachable' && state.retry_at - Date.now()).toBeGreaterThan(0);
    if (state.state === 'unreachable') await sleep(state.retry_at - Date.now() + 20);
    expect((await t.exec('n1', sh`echo up`)).stdout).toBe('up\n');
    expect(t.state('n1')).toEqual({ state: 'connected' });
    expect(f2.connections).toBe(1);
  });

  it('a host that never answers SSH is marked unreachable after the probe timeout', async () => {
    const accepted = new Set<Socket>();
    // Accepts TCP and reads, but never speaks SSH (a wedged sshd, a firewall that swallows packets).
    const silent: Server = createServer((s) => accepted.add(s.resume()));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    h.onCleanup(() => {
      for (const s of accepted) s.destroy();
      return new Promise<void>((r) => silent.close(() => r()));
    });
    const port = (silent.address() as { port: number }).port;
    const { t } = transport(port, { probeTimeoutMs: 300 });
    // The call's own timeout is shorter: it gives up first, the connect still marks the node.
    expect((await rejection(t.exec('n1', sh`true`, { timeoutMs: 100 }))).code).toBe('TIMEOUT');
    await waitUntil(() => t.state('n1').state === 'unreachable');
    expect(t.state('n1')).toMatchObject({
      state: 'unreachable',
      error: expect.stringMatching(/no SSH answer/),
    });
    expect((await rejection(t.exec('n1', sh`true`))).code).toBe('NODE_UNREACHABLE');
  });

  it('a connection lost while a command runs rejects NODE_UNREACHABLE; the next call reconnects', async () => {
    const f1 = await fixture();
    const { t } = transport(f1.port);
    const running = t.exec('n1', sh`sleep 5`);
    await sleep(200);
    await f1.stop();
    const e = await rejection(running);
    expect(e.code).toBe('NODE_UNREACHABLE');
    expect(e.message).toMatch(/lost while the command ran/);
    const f2 = await fixture({ port: f1.port, hostKey: f1.hostKey });
    expect((await t.exec('n1', sh`echo again`)).stdout).toBe('again\n');
    expect(f2.connections).toBe(1);
  });

  it('close() ends the connection; later calls are refused', async () => {
    const f = await fixture();
    const { t } = transport(f.port);
    await t.exec('n1', sh`true`);
    await t.close();
    expect((await rejection(t.exec('n1', sh`true`))).code).toBe('SERVICE_UNAVAILABLE');
  });
});
