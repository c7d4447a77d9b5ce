# shellcheck shell=bash
# Shared by the shims: node facts and the time-varying GPU / memory / load numbers. Pure bash
# (EPOCHREALTIME, RANDOM, read) so a shim call costs one bash start and no further forks.
set -u
: "${SIM_STATE:?not running on a simulated node}"
# shellcheck source=/dev/null
. "$SIM_STATE/facts"
NOW_US=${EPOCHREALTIME/[.,]/}
NOW_S=$((NOW_US / 1000000))

# GPU_PIDS / GPU_NAMES / GPU_MIBS: resident GPU processes (written by the simulator from its containers).
load_gpu() {
  GPU_PIDS=() GPU_NAMES=() GPU_MIBS=() GPU_MIB_SUM=0 GPU_BUSY=0
  local pid name mib
  if [[ -r $SIM_STATE/gpu-procs ]]; then
    while IFS=$'\t' read -r pid name mib; do
      [[ -n $pid ]] || continue
      GPU_PIDS+=("$pid") GPU_NAMES+=("$name") GPU_MIBS+=("$mib")
      GPU_MIB_SUM=$((GPU_MIB_SUM + mib))
    done <"$SIM_STATE/gpu-procs"
  fi
  [[ -r $SIM_STATE/gpu-busy ]] && read -r GPU_BUSY <"$SIM_STATE/gpu-busy"
  GPU_BUSY=${GPU_BUSY:-0}
}

# Sets G_UTIL (%), G_TEMP (C), G_POWER ("W.cc"), G_CLOCK (MHz): idle when nothing is resident,
# a few % with a model loaded, high while the fake vLLM is generating.
gpu_sample() {
  load_gpu
  local resident=${#GPU_PIDS[@]} wave=$(((NOW_S / 5) % 6)) cw
  if ((GPU_BUSY > 0)); then G_UTIL=$((86 + RANDOM % 12))
  elif ((resident > 0)); then G_UTIL=$((RANDOM % 4))
  else G_UTIL=0; fi
  G_TEMP=$((39 + G_UTIL / 3 + wave / 2 + (resident > 0 ? 3 : 0)))
  cw=$((430 + (resident > 0 ? 620 : 0) + G_UTIL * 82 + RANDOM % 170))
  printf -v G_POWER '%d.%02d' $((cw / 100)) $((cw % 100))
  G_CLOCK=$((G_UTIL > 10 ? 2405 + RANDOM % 60 : 208 + RANDOM % 40))
}

# Unified memory: the GPU processes' memory comes out of the same 128 GB the OS sees.
mem_sample() {
  load_gpu
  M_TOTAL=$F_MEM_TOTAL_KB
  M_CACHED=$((9400000 + (NOW_S / 13) % 400000))
  M_BUFFERS=$((212000 + (NOW_S / 7) % 3000))
  local os_used=$((4100000 + (NOW_S / 3) % 350000 + RANDOM % 20000))
  M_USED=$((os_used + GPU_MIB_SUM * 1024))
  M_FREE=$((M_TOTAL - M_USED - M_CACHED - M_BUFFERS))
  ((M_FREE < 300000)) && M_FREE=300000
  M_AVAIL=$((M_FREE + M_CACHED * 9 / 10 + M_BUFFERS))
  ((M_AVAIL > M_TOTAL - M_USED)) && M_AVAIL=$((M_TOTAL - M_USED))
  M_SWAP=16777212
}

# "%d.%02d" from hundredths.
centi() { printf -v "$1" '%d.%02d' $(($2 / 100)) $(($2 % 100)); }
