// Wake-on-LAN tests' cluster: two simulated Sparks watched closely, and the control plane's own
// broadcast sent to a UDP receiver of the test's on loopback (nothing leaves the machine; the
// peer Spark's packet goes on the simulated LAN).
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import type { AppConfig } from '../../src/server/config/types.js';
import { startTestCluster, type TestCluster, type TestClusterOptions, WATCHING_HARDWARE } from './harness.js';

export interface WakeCluster {
  c: TestCluster;
  /** Every packet the control plane broadcast. */
  received: Buffer[];
  rxPort: number;
  close(): Promise<void>;
}

export async function startWakeCluster(
  o: Pick<TestClusterOptions, 'wakeDelayMs' | 'configure'> = {},
): Promise<WakeCluster> {
  const rx: Socket = createSocket('udp4');
  const received: Buffer[] = [];
  rx.on('message', (m) => received.push(m));
  rx.bind(0, '127.0.0.1');
  await once(rx, 'listening');
  const rxPort = rx.address().port;
  const toReceiver = (config: AppConfig): AppConfig => ({
    ...config,
    wake: { broadcast_address: '127.0.0.1', ports: [rxPort] },
  });
  const c = await startTestCluster({
    nodes: 2,
    timings: WATCHING_HARDWARE,
    wakeDelayMs: o.wakeDelayMs,
    configure: (config) => toReceiver(o.configure ? o.configure(config) : config),
  });
  return {
    c,
    received,
    rxPort,
    async close() {
      await c.close();
      rx.close();
    },
  };
}
