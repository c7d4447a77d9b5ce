// What the fake Parakeet reports about itself, shared by its routes (and the ASR NIM fake).

export const PARAKEET_MODELS = {
  asr: 'nvidia/parakeet-tdt-0.6b-v2',
  diarization: 'nvidia/diar_sortformer_4spk-v1',
  embedding: 'nvidia/speakerverification_en_titanet_large',
};

/** What a wedged GPU answers (PyTorch's message for a failed cuBLAS call). */
export const CUBLAS_ERROR =
  'CUDA error: CUBLAS_STATUS_EXECUTION_FAILED when calling `cublasGemmEx( handle, opa, opb, m, n, k, &falpha, a, CUDA_R_16BF, lda, b, CUDA_R_16BF, ldb, &fbeta, c, CUDA_R_16BF, ldc, CUDA_R_32F, CUBLAS_GEMM_DEFAULT_TENSOR_OP)`';
