// The demo's fault registry (issue 10 item 11): every switchable fault of the built-in simulator
// under one name, for `GET /api/sim/faults` and `POST /api/sim/faults/{name} {"on": …}` (the
// dashboard's chaos panel). One row per fault: adding a fault is adding a row. Whether a fault is
// on is read from the simulator each time, because some clear themselves (a container restart
// heals Parakeet's wedge).
import type { SimFaultApi, SimFaultState as State } from '../../../sim/index.js';

/** The part of the simulator's fault API the registry switches (type-only: no sim code loads here). */
export type SimServiceFaults = Pick<
  SimFaultApi,
  | 'parakeetWedge'
  | 'parakeetFlap'
  | 'magpieFail'
  | 'nimBadKey'
  | 'nimAsrWedge'
  | 'parakeetUpgrade'
  | 'vllmCrashMidStream'
  | 'vllmEngineDead'
  | 'vllmError'
  | 'vllmSlowFirstToken'
  | 'vllmDown'
  | 'vllmUp'
  | 'hfFault'
  | 'faultState'
>;

export interface DemoFault {
  name: string;
  description: string;
  on(s: State): boolean;
  set(sim: SimServiceFaults, on: boolean): void;
}

export interface DemoFaultInfo {
  name: string;
  on: boolean;
  description: string;
}

export const DEMO_FAULTS: DemoFault[] = [
  {
    name: 'parakeet-wedge',
    description:
      "Parakeet's GPU wedges: transcriptions answer 500 (CUBLAS) while /health stays 200; a container restart heals it",
    on: (s) => s.parakeetWedged,
    set: (sim, on) => sim.parakeetWedge(on),
  },
  {
    name: 'parakeet-flap',
    description: 'Parakeet wedges now and again a few seconds after every restart (restart-storm test)',
    on: (s) => s.parakeetFlapping,
    set: (sim, on) => sim.parakeetFlap(on),
  },
  {
    name: 'magpie-fail',
    description: 'Magpie synthesis answers 500 (cudaErrorUnknown); readiness stays 200',
    on: (s) => s.magpieFailing,
    set: (sim, on) => sim.magpieFail(on),
  },
  {
    name: 'parakeet-upgrade',
    description:
      "A Parakeet image upgrade replaced the app's files: the patches panel shows drift until Reapply (off: the shipped files again)",
    on: (s) => s.parakeetUpgraded,
    set: (sim, on) => sim.parakeetUpgrade(on),
  },
  {
    name: 'nim-bad-key',
    description:
      "NGC refuses every key: a NIM install fails at `docker login` (the real registry's 'unauthorized')",
    on: (s) => s.nimBadKey,
    set: (sim, on) => sim.nimBadKey(on),
  },
  {
    name: 'nim-asr-wedge',
    description:
      'Every installed ASR NIM (Parakeet) wedges: transcriptions answer 500 (CUBLAS) while /v1/health/ready stays 200; a container restart heals it',
    on: (s) => s.nimAsrWedged,
    set: (sim, on) => sim.nimAsrWedge(on),
  },
  {
    name: 'download-fail',
    description: 'Every model download (hf download) dies midway with a broken connection; retry resumes it',
    on: (s) => s.hf['download-fail'].length > 0,
    set: (sim, on) => sim.hfFault(null, on ? 'download-fail' : null),
  },
  {
    name: 'disk-full',
    description:
      'Model downloads stop midway with "No space left on device"; the partial files stay .incomplete',
    on: (s) => s.hf['disk-full'].length > 0,
    set: (sim, on) => sim.hfFault(null, on ? 'disk-full' : null),
  },
  {
    name: 'vllm-crash-mid-stream',
    description: 'vLLM streams die after 3 chunks, without [DONE]',
    on: (s) => s.vllm.crashMidStream,
    set: (sim, on) => sim.vllmCrashMidStream(on),
  },
  {
    name: 'vllm-engine-dead',
    description: "vLLM's engine core is dead while its API server runs: /health 503, generation 500",
    on: (s) => s.vllm.engineDead,
    set: (sim, on) => sim.vllmEngineDead(on),
  },
  {
    name: 'vllm-error-500',
    description: 'Every vLLM chat/completions request answers 500 (EngineCore encountered an issue)',
    on: (s) => s.vllm.errorStatus !== null,
    set: (sim, on) => sim.vllmError(on ? 500 : null),
  },
  {
    name: 'vllm-slow-first-token',
    description: 'vLLM waits 2 s before the first token of every answer',
    on: (s) => s.vllm.slowFirstTokenMs > 0,
    set: (sim, on) => sim.vllmSlowFirstToken(on ? 2000 : 0),
  },
  {
    name: 'vllm-down',
    description: 'vLLM refuses connections (the engine stays loaded)',
    on: (s) => s.vllmDown,
    set: (sim, on) => (on ? sim.vllmDown() : sim.vllmUp()),
  },
];

export function listFaults(sim: SimServiceFaults): DemoFaultInfo[] {
  const s = sim.faultState();
  return DEMO_FAULTS.map((f) => ({ name: f.name, on: f.on(s), description: f.description }));
}
