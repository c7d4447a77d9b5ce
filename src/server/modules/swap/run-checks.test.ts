// The pre-swap checks runner: order, first refusal wins, a throwing check refuses, AppErrors pass.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/http/errors.js';
import type { SwapModel } from './model.js';
import type { PreSwapCheck } from './pre-swap-checks.js';
import { refusalError, refusalStage, runPreSwapChecks } from './run-checks.js';

const model = { key: 'm', display_name: 'Model M' } as SwapModel;

describe('runPreSwapChecks', () => {
  it('runs the checks in order and stops at the first refusal', async () => {
    const ran: string[] = [];
    const ok: PreSwapCheck = async () => (ran.push('ok'), null);
    const no: PreSwapCheck = async (_m, nodes) => (
      ran.push('no'),
      { code: 'weights_missing', message: 'missing', details: { nodes: [...nodes] } }
    );
    const never: PreSwapCheck = async () => (ran.push('never'), null);
    const r = await runPreSwapChecks([ok, no, never], model, ['spark1']);
    expect(ran).toEqual(['ok', 'no']);
    expect(r).toEqual({ code: 'weights_missing', message: 'missing', details: { nodes: ['spark1'] } });
    expect(await runPreSwapChecks([], model, ['spark1'])).toBeNull();
  });

  it('turns an unpredicted throw into a refusal (nothing starts on an unfinished check)', async () => {
    const r = await runPreSwapChecks(
      [async () => Promise.reject(new TypeError('x is undefined'))],
      model,
      [],
    );
    expect(r?.code).toBe('check_failed');
    expect(r?.message).toMatch(/Model M failed \(x is undefined\); nothing was stopped/);
  });

  it('lets an AppError a check chose pass through', async () => {
    const boom = new AppError('SERVICE_UNAVAILABLE', 'launcher busy');
    await expect(runPreSwapChecks([async () => Promise.reject(boom)], model, [])).rejects.toBe(boom);
  });
});

describe('refusalError / refusalStage', () => {
  it('is a 409 carrying the code beside the details, and maps codes to pre-flight stages', () => {
    const e = refusalError({
      code: 'weights_missing',
      message: 'Download it',
      details: { repo: 'o/r', nodes: ['b'] },
    });
    expect(e.status).toBe(409);
    expect(e.message).toBe('Download it');
    expect(e.details).toEqual({ code: 'weights_missing', repo: 'o/r', nodes: ['b'] });
    expect(refusalStage({ code: 'launcher_outdated', message: '' })).toBe('launcher');
    expect(refusalStage({ code: 'weights_unknown', message: '' })).toBe('placement');
  });
});
