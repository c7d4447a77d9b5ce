import { describe, expect, it } from 'vitest';
import { wedgeSignature } from './signatures.js';

describe('wedgeSignature', () => {
  it.each([
    [
      '{"detail":"Transcription failed: RuntimeError: CUDA error: CUBLAS_STATUS_EXECUTION_FAILED when calling `cublasGemmEx`"}',
      'CUBLAS_STATUS_EXECUTION_FAILED',
    ],
    ['CUBLAS_STATUS_INTERNAL_ERROR', 'CUBLAS_STATUS_INTERNAL_ERROR'],
    ['Internal Server Error: inference failed (cudaErrorUnknown: unknown error)', 'cudaErrorUnknown'],
    ['cuFFT plan failed: CUFFT_INTERNAL_ERROR', 'CUFFT_INTERNAL_ERROR'],
    ['RuntimeError: Engine core init failed. See root cause above.', 'Engine core init failed'],
    [
      'RuntimeError: Engine core initialization failed. Failed core proc(s): {}',
      'Engine core initialization failed',
    ],
    // The first one in the text wins.
    ['cudaErrorUnknown then CUBLAS_STATUS_NOT_INITIALIZED', 'cudaErrorUnknown'],
    ['CUBLAS_STATUS_NOT_INITIALIZED then cudaErrorUnknown', 'CUBLAS_STATUS_NOT_INITIALIZED'],
  ])('finds the signature in %s', (text, sig) => {
    expect(wedgeSignature(text)).toBe(sig);
  });

  it.each([
    [''],
    [null],
    [undefined],
    ['{"text":""}'],
    ['Internal Server Error'],
    // Lower-case or partial names are someone else's words, not the library's constant.
    ['cudaerrorunknown'],
    ['CUBLAS_STATUS_'],
    ['EngineCore encountered an issue. See stack trace for the root cause.'],
    ['{"error":"Bad Request, empty text input"}'],
  ])('finds none in %s', (text) => {
    expect(wedgeSignature(text)).toBeNull();
  });
});
