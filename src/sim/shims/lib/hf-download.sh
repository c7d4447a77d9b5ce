# shellcheck shell=bash
# `hf download` / `huggingface-cli download` of a simulated Spark: files from the simulated Hub
# (src/sim/hf-hub.ts, via the control API) written into the real HF cache layout — blobs/<sha256>
# (blobs/<sha256>.incomplete while in progress), refs/<revision>, snapshots/<commit>/<file> →
# ../../blobs/<sha256> — as SPARSE files (truncate -s), so a 60 GB model costs no disk. Up to 8
# files at a time at ~100 MB/s (× the simulation speed), tqdm bars on stderr like the real CLI, the
# snapshot path on stdout. An .incomplete blob left by a killed or failed run is resumed. Faults
# ($SIM_STATE/hf-fault): download-fail (connection reset halfway), disk-full (ENOSPC halfway).
# HF_TOKEN is read from the environment only; its sha256 goes to $SIM_STATE/hf-token.sha256 so
# tests can tell it arrived without the token itself being stored anywhere. Bench only: when
# $SIM_STATE/hf-progress.trace exists, each bar line appends `<epoch_us> <done as printed> <file>`
# to it (bench/download-progress.ts times the control plane's relay against it).
. "${BASH_SOURCE[0]%/*}/sim.sh"

RATE=100000000 # bytes per second at speed 1

# tqdm's format_sizeof: 3 significant digits and an SI prefix ("598M", "4.97G", "239").
sizeof() {
  local n=$1 i=0 div=1 h units=('' k M G T P)
  while ((n * 1000 / div >= 999500 && i < 5)); do div=$((div * 1000)) i=$((i + 1)); done
  h=$(((n * 1000 / div + 5) / 10)) # hundredths, rounded
  if ((h < 1000 && i > 0)); then printf -v SZ '%d.%02d%s' $((h / 100)) $((h % 100)) "${units[i]}"
  elif ((h < 10000 && i > 0)); then printf -v SZ '%d.%d%s' $((h / 100)) $(((h % 100 + 5) / 10 % 10)) "${units[i]}"
  else printf -v SZ '%d%s' $(((h + 50) / 100)) "${units[i]}"; fi
}
# nap_ms MS: sim_sleep_ms without its subshell (one fork per tick, not two).
nap_ms() {
  local ms=$(($1 * ${permille:-1000} / 1000)) frac
  ((ms > 0)) || return 0
  printf -v frac '%03d' $((ms % 1000))
  sleep "$((ms / 1000)).$frac"
}
clock() { printf -v CLK '%02d:%02d' $(($1 / 60)) $(($1 % 60)); }

# bar DESC DONE TOTAL ELAPSED_S RATE: one tqdm line (ends with \r, as tqdm redraws in place).
bar() {
  local pct=0 fill=0 b left='?' r
  (($3 > 0)) && pct=$(($2 * 100 / $3)) fill=$(($2 * 10 / $3))
  printf -v b '%*s' "$fill" ''
  b=${b// /█}
  printf -v b '%-10s' "$b"
  sizeof "$2"; local d=$SZ
  sizeof "$3"; local t=$SZ
  sizeof "$5"; r="${SZ}B/s"
  clock "$4"; local el=$CLK
  (($5 > 0)) && { clock $((($3 - $2) / $5)); left=$CLK; }
  printf '%s: %3d%%|%s| %sB/%sB [%s<%s, %s]\r' "$1" "$pct" "$b" "$d" "$t" "$el" "$left" "$r" >&2
}

hf_download() { # PROG ARGS…
  local prog=$1 repo='' rev=main cache='' quiet=0
  shift
  while (($#)); do
    case $1 in
      --revision) rev=${2:-}; shift ;;
      --revision=*) rev=${1#*=} ;;
      --cache-dir) cache=${2:-}; shift ;;
      --cache-dir=*) cache=${1#*=} ;;
      --max-workers | --repo-type) shift ;;
      --quiet) quiet=1 ;;
      --token | --token=*) echo "$prog download: pass the token in HF_TOKEN (this simulator refuses --token)" >&2; exit 2 ;;
      -*) echo "$prog: error: unrecognized arguments: $1" >&2; exit 2 ;;
      *) [[ -z $repo ]] && repo=$1 ;;
    esac
    shift
  done
  if [[ -z $repo ]]; then
    echo "usage: $prog download [-h] [--repo-type {model,dataset,space}] [--revision REVISION] REPO_ID [FILENAMES ...]" >&2
    echo "$prog download: error: the following arguments are required: REPO_ID" >&2
    exit 2
  fi
  [[ -n ${HF_TOKEN:-} ]] && printf '%s' "$HF_TOKEN" | sha256sum | cut -d' ' -f1 >"$SIM_STATE/hf-token.sha256"

  local out code
  out=$(curl -sS -G -m 30 --data-urlencode "repo=$repo" --data-urlencode "revision=$rev" \
    -w '\n%{http_code}' "$SIM_CONTROL_URL/hf/manifest" 2>/dev/null) || {
    echo "Cannot reach https://huggingface.co: connection refused" >&2; exit 1; }
  code=${out##*$'\n'} out=${out%$'\n'*}
  if [[ $code != 200 ]]; then
    printf '%s' "$out" >&2
    echo 'Please make sure you specified the correct `repo_id` and `repo_type`.' >&2
    echo 'If you are trying to access a private or gated repo, make sure you are authenticated. For more details, see https://huggingface.co/docs/huggingface_hub/authentication' >&2
    exit 1
  fi

  local commit='' kind size sha path sizes=() shas=() paths=()
  while read -r kind size sha path; do
    case $kind in
      commit) commit=$size ;;
      file) sizes+=("$size") shas+=("$sha") paths+=("$path") ;;
    esac
  done <<<"$out"
  local dir=${cache:-${HF_HUB_CACHE:-${HF_HOME:-$HOME/.cache/huggingface}/hub}}/models--${repo/\//--}
  mkdir -p "$dir/blobs" "$dir/refs" "$dir/snapshots/$commit" || exit 1
  [[ $rev == "$commit" ]] || printf '%s' "$commit" >"$dir/refs/$rev"

  local fault=''
  [[ -r $SIM_STATE/hf-fault ]] && read -r fault <"$SIM_STATE/hf-fault"
  local trace=''
  [[ -f $SIM_STATE/hf-progress.trace ]] && trace=$SIM_STATE/hf-progress.trace
  local n=${#paths[@]} i total=0 done_all=0 pending=() have=()
  for ((i = 0; i < n; i++)); do
    total=$((total + sizes[i]))
    if [[ -f $dir/blobs/${shas[i]} ]]; then
      done_all=$((done_all + sizes[i]))
      have[i]=${sizes[i]}
    else
      have[i]=$(stat -c %s "$dir/blobs/${shas[i]}.incomplete" 2>/dev/null || echo 0)
      done_all=$((done_all + have[i]))
      pending+=("$i")
    fi
  done
  ((quiet)) || printf 'Fetching %d files:   0%%|          | 0/%d [00:00<?, ?it/s]\r' "$n" "$n" >&2
  # At most ~600 redraws at speed 1 (4 a second), ~30 in a fast test run: every tick costs forks.
  local fail_at=$((total / 2)) chunk=$((RATE / 4)) remaining=$((total - done_all)) permille=1000 ticks
  [[ -r $SIM_STATE/speed_permille ]] && read -r permille <"$SIM_STATE/speed_permille"
  ticks=$((600 * permille / 1000))
  ((ticks < 30)) && ticks=30
  ((remaining / ticks > chunk)) && chunk=$((remaining / ticks))
  local tick_ms=$((chunk * 1000 / RATE)) t0=$SECONDS
  while ((${#pending[@]})); do
    local active=("${pending[@]:0:8}") next=() step=$((chunk / ${#active[@]} + 1)) j el
    el=$((SECONDS - t0))
    for j in "${active[@]}"; do
      local left=$((sizes[j] - have[j])) inc=$dir/blobs/${shas[j]}.incomplete
      ((step < left)) && left=$step
      have[j]=$((have[j] + left)) done_all=$((done_all + left))
      if [[ -n $fault ]] && ((done_all >= fail_at)); then
        truncate -s "$((have[j] - left / 2))" "$inc"
        echo >&2
        if [[ $fault == disk-full ]]; then echo 'OSError: [Errno 28] No space left on device' >&2
        else echo "requests.exceptions.ChunkedEncodingError: ('Connection broken: IncompleteRead($((have[j] - left / 2)) bytes read, $((sizes[j] - have[j] + left / 2)) more expected)', IncompleteRead($((have[j] - left / 2)) bytes read, $((sizes[j] - have[j] + left / 2)) more expected))" >&2; fi
        exit 1
      fi
      truncate -s "${have[j]}" "$inc" || exit 1
      ((quiet)) || bar "${paths[j]}" "${have[j]}" "${sizes[j]}" "$el" "$((el > 0 ? have[j] / el : RATE / ${#active[@]}))"
      [[ -n $trace ]] && ((!quiet)) && sizeof "${have[j]}" && printf '%s %s %s\n' "${EPOCHREALTIME/./}" "$SZ" "${paths[j]}" >>"$trace"
      if ((have[j] >= sizes[j])); then
        mv -f "$inc" "$dir/blobs/${shas[j]}"
        ln -sfn "../../blobs/${shas[j]}" "$dir/snapshots/$commit/${paths[j]}"
      else next+=("$j"); fi
    done
    pending=("${next[@]}" "${pending[@]:8}")
    ((${#pending[@]})) && nap_ms "$tick_ms"
  done
  for ((i = 0; i < n; i++)); do
    [[ -L $dir/snapshots/$commit/${paths[i]} ]] || ln -sfn "../../blobs/${shas[i]}" "$dir/snapshots/$commit/${paths[i]}"
  done
  ((quiet)) || printf 'Fetching %d files: 100%%|██████████| %d/%d [%s<00:00]\n' "$n" "$n" "$n" "$(clock $((SECONDS - t0)); echo "$CLK")" >&2
  printf '%s\n' "$dir/snapshots/$commit"
}
