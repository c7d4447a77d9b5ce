// `ray start|stop|status` inside vllm_node: the Ray membership the launcher's `--ray` mode builds
// (head first), with Ray's own output lines in the shim protocol.
import { protoLines, type TextReply } from './control-api.js';

export type RayRole = 'head' | 'worker';

const text = (status: number, body: string): TextReply => ({ status, text: body });

export function rayCommand(ray: Map<string, RayRole>, node: string, argv: string[]): TextReply {
  const [cmd, ...rest] = argv;
  if (cmd === 'start') {
    if (rest.includes('--head')) {
      ray.set(node, 'head');
      return text(
        200,
        `${protoLines(['Local node IP: 192.0.2.129', '', '--------------------', 'Ray runtime started.', '--------------------'])}x0\n`,
      );
    }
    if (![...ray.values()].includes('head')) {
      return text(
        200,
        `${protoLines(['ConnectionError: Could not find any running Ray instance. Please specify the one to connect to by setting `--address` flag or `RAY_ADDRESS` environment variable.'], 'e')}x1\n`,
      );
    }
    ray.set(node, 'worker');
    return text(
      200,
      `${protoLines(['Local node IP: 192.0.2.130', '', '--------------------', 'Ray runtime started.', '--------------------'])}x0\n`,
    );
  }
  if (cmd === 'stop') {
    ray.delete(node);
    return text(200, `${protoLines(['Stopped all 1 Ray processes.'])}x0\n`);
  }
  if (cmd === 'status') {
    if (![...ray.values()].includes('head')) {
      return text(
        200,
        `${protoLines(['ConnectionError: Could not find any running Ray instance. Please specify the one to connect to by setting `--address` flag or `RAY_ADDRESS` environment variable.'], 'e')}x1\n`,
      );
    }
    const n = ray.size;
    return text(
      200,
      `${protoLines([
        `======== Autoscaler status: ${new Date().toISOString().replace('T', ' ').replace('Z', '')} ========`,
        'Node status',
        '---------------------------------------------------------------',
        'Active:',
        ...[...ray.keys()].map(
          (k) => ` 1 node_${Buffer.from(k).toString('hex').padEnd(40, '0').slice(0, 40)}`,
        ),
        'Pending:',
        ' (no pending nodes)',
        'Recent failures:',
        ' (no failures)',
        '',
        'Resources',
        '---------------------------------------------------------------',
        'Usage:',
        ` 0.0/${2 * n}.0 CPU`,
        ` 0.0/${n}.0 GPU`,
        ` 0B/${n}.00GiB object_store_memory`,
        '',
        'Demands:',
        ' (no resource demands)',
      ])}x0\n`,
    );
  }
  return text(
    200,
    `${protoLines([`Usage: ray [OPTIONS] COMMAND [ARGS]...`, `Error: No such command '${cmd ?? ''}'.`], 'e')}x2\n`,
  );
}
