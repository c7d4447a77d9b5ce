# shellcheck shell=bash
# The human-readable nvidia-smi views (plain table and -q) for a GB10, in the 580-driver layout.

table() {
  gpu_sample
  local dash='-----------------------------------------------------------------------------------------'
  local eq='========================================================================================='
  local sep='+-----------------------------------------+------------------------+----------------------+'
  local i pw=${G_POWER%.*}
  printf '%(%a %b %e %H:%M:%S %Y)T       \n' "$NOW_S"
  printf '+%s+\n' "$dash"
  printf '| NVIDIA-SMI %-22s Driver Version: %-14s CUDA Version: %-9s|\n' "$F_DRIVER" "$F_DRIVER" "$F_CUDA"
  echo "$sep"
  echo '| GPU  Name                 Persistence-M | Bus-Id          Disp.A | Volatile Uncorr. ECC |'
  echo '| Fan  Temp   Perf          Pwr:Usage/Cap |           Memory-Usage | GPU-Util  Compute M. |'
  echo '|                                         |                        |               MIG M. |'
  echo '|=========================================+========================+======================|'
  echo '|   0  NVIDIA GB10                    On  |   0000000F:01:00.0 Off |                  N/A |'
  printf '| N/A   %2dC    P0         %6sW /  N/A  | Not Supported          | %6s%%      Default |\n' \
    "$G_TEMP" "$pw" "$G_UTIL"
  echo '|                                         |                        |                  N/A |'
  echo "$sep"
  echo
  printf '+%s+\n' "$dash"
  echo '| Processes:                                                                              |'
  echo '|  GPU   GI   CI              PID   Type   Process name                        GPU Memory |'
  echo '|        ID   ID                                                               Usage      |'
  printf '|%s|\n' "$eq"
  if ((${#GPU_PIDS[@]} == 0)); then
    echo '|  No running processes found                                                             |'
  fi
  for ((i = 0; i < ${#GPU_PIDS[@]}; i++)); do
    printf '|    0   N/A  N/A    %12s      C   %-33.33s %9sMiB |\n' "${GPU_PIDS[i]}" "${GPU_NAMES[i]}" "${GPU_MIBS[i]}"
  done
  printf '+%s+\n' "$dash"
}

query_full() {
  gpu_sample
  local i
  printf '\n==============NVSMI LOG==============\n\n'
  printf '%-40s: %(%a %b %e %H:%M:%S %Y)T\n' 'Timestamp' "$NOW_S"
  printf '%-40s: %s\n' 'Driver Version' "$F_DRIVER" 'CUDA Version' "$F_CUDA" '' '' 'Attached GPUs' 1
  printf 'GPU 0000000F:01:00.0\n'
  printf '    %-36s: %s\n' 'Product Name' 'NVIDIA GB10' 'Product Brand' 'NVIDIA RTX' \
    'Product Architecture' Blackwell 'Persistence Mode' Enabled 'GPU UUID' "$F_GPU_UUID" \
    'Minor Number' 0 'FB Memory Usage' '' 'Performance State' P0
  printf '    Utilization\n        %-32s: %s %%\n' Gpu "$G_UTIL"
  printf '    Temperature\n        %-32s: %s C\n' 'GPU Current Temp' "$G_TEMP"
  printf '    GPU Power Readings\n        %-32s: %s W\n        %-32s: N/A\n' 'Instantaneous Power Draw' "$G_POWER" \
    'Current Power Limit'
  printf '    Processes\n'
  for ((i = 0; i < ${#GPU_PIDS[@]}; i++)); do
    printf '        %-32s: %s\n' 'Process ID' "${GPU_PIDS[i]}" 'Type' C 'Name' "${GPU_NAMES[i]}" \
      'Used GPU Memory' "${GPU_MIBS[i]} MiB"
  done
}
