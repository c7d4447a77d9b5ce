# shellcheck shell=bash
# Images on a simulated Spark ($SIM_STATE/images: name, id, created epoch, size): `docker images`,
# `docker image inspect`, `docker tag`, and the build/save/load that build-and-copy.sh drives. A
# build gives the image a new id; save writes a small stand-in tarball that load (on another node)
# reads back. Names are stored as given minus a `:latest` tag (`vllm-node`, `vllm-node:rollback`).
# With `$SIM_STATE/build-fault` present a build fails at its vLLM wheel step, as nightly builds do.
. "$L/sim.sh"

IMG_NAMES=() IMG_IDS=() IMG_CREATED=() IMG_SIZES=()
load_images() {
  local name id created size
  IMG_NAMES=() IMG_IDS=() IMG_CREATED=() IMG_SIZES=()
  [[ -r $SIM_STATE/images ]] || return 0
  while IFS=$'\t' read -r name id created size; do
    [[ -n $name ]] || continue
    IMG_NAMES+=("$name") IMG_IDS+=("$id") IMG_CREATED+=("$created") IMG_SIZES+=("$size")
  done <"$SIM_STATE/images"
}

split_tag() { # NAME → REPO TAG (`host:5000/x` has no tag: a tag never holds a slash)
  REPO=$1 TAG=latest
  if [[ ${1##*/} == *:* ]]; then REPO=${1%:*} TAG=${1##*:}; fi
}

human_size() { # BYTES → HS (docker's decimal units)
  local b=$1
  if ((b >= 1000000000)); then HS="$((b / 1000000000)).$((b % 1000000000 / 100000000))GB"
  elif ((b >= 1000000)); then HS="$((b / 1000000))MB"
  else HS="$((b / 1000))kB"; fi
}

docker_images() {
  local quiet=0 i rows=()
  while (($#)); do
    case $1 in
      -q | --quiet) quiet=1 ;;
      -a | --all | --no-trunc | --digests) ;;
      --format | -f | --filter) shift ;;
      -*) printf "unknown flag: %s\nSee 'docker images --help'.\n" "$1" >&2; exit 125 ;;
    esac
    shift
  done
  load_images
  . "$L/docker-ps.sh"
  for ((i = 0; i < ${#IMG_NAMES[@]}; i++)); do
    if ((quiet)); then printf '%s\n' "${IMG_IDS[i]:7:12}"; continue; fi
    human $((EPOCHSECONDS - IMG_CREATED[i]))
    human_size "${IMG_SIZES[i]}"
    split_tag "${IMG_NAMES[i]}"
    rows+=("$REPO"$'\t'"$TAG"$'\t'"${IMG_IDS[i]:7:12}"$'\t'"$HD ago"$'\t'"$HS")
  done
  ((quiet)) || tabulate $'REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE' "${rows[@]}"
}

image_field() { # EXPR → TV for image index IX
  case $1 in
    .Id | .ID) TV=${IMG_IDS[IX]} ;;
    .RepoTags) split_tag "${IMG_NAMES[IX]}"; TV="[$REPO:$TAG]" ;;
    .Size) TV=${IMG_SIZES[IX]} ;;
    .Created) printf -v TV '%(%Y-%m-%dT%H:%M:%S)T.000000000Z' "${IMG_CREATED[IX]}" ;;
    .Architecture) TV=arm64 ;;
    .Os) TV=linux ;;
    *) template_error "$1" image.InspectResponse ;;
  esac
}

docker_image_inspect() {
  local fmt='' rc=0 n i found out=()
  local -a names=()
  while (($#)); do
    case $1 in
      -f | --format) shift; fmt=${1-} ;;
      --format=* | -f=*) fmt=${1#*=} ;;
      -*) printf "unknown flag: %s\nSee 'docker image inspect --help'.\n" "$1" >&2; exit 125 ;;
      *) names+=("$1") ;;
    esac
    shift
  done
  load_images
  export TZ=UTC0
  for n in "${names[@]}"; do
    found=-1
    for ((i = 0; i < ${#IMG_NAMES[@]}; i++)); do
      [[ ${IMG_NAMES[i]} == "${n%:latest}" || ${IMG_IDS[i]} == "$n" || ${IMG_IDS[i]:7} == "$n"* ]] && found=$i
    done
    if ((found < 0)); then
      printf 'Error response from daemon: No such image: %s\n' "$( [[ $n == *:* ]] && echo "$n" || echo "$n:latest")" >&2
      rc=1
      continue
    fi
    IX=$found
    if [[ -n $fmt ]]; then
      render "$fmt" image_field || exit 1
      printf '%s\n' "$R"
    else
      image_field .Created
      split_tag "${IMG_NAMES[IX]}"
      out+=("$(printf '    {\n        "Id": "%s",\n        "RepoTags": [\n            "%s:%s"\n        ],\n        "Created": "%s",\n        "Size": %s,\n        "Architecture": "arm64",\n        "Os": "linux"\n    }' "${IMG_IDS[IX]}" "$REPO" "$TAG" "$TV" "${IMG_SIZES[IX]}")")
    fi
  done
  if [[ -z $fmt ]]; then
    if ((${#out[@]})); then
      local IFS=,
      printf '[\n%s\n]\n' "${out[*]}"
    else
      echo '[]'
    fi
  fi
  exit $rc
}

set_image() { # NAME ID: tells the daemon this node now has NAME at ID
  curl -sS -m 60 --data-binary "$2" "$SIM_CONTROL_URL/nodes/$SIM_NODE/images/${1%:latest}" >/dev/null 2>&1
}

docker_build() {
  local tag='' step id
  while (($#)); do
    case $1 in
      -t | --tag) shift; tag=${1-} ;;
      --tag=*) tag=${1#*=} ;;
      -f | --file | --build-arg | --target | --platform | --progress) shift ;;
      --*=* | --no-cache | --pull | -q | --quiet) ;;
      -*) printf "unknown flag: %s\nSee 'docker build --help'.\n" "$1" >&2; exit 125 ;;
      *) ;;
    esac
    shift
  done
  tag=${tag:-vllm-node}
  local -a steps=(
    '[internal] load build definition from Dockerfile'
    '[internal] load metadata for nvcr.io/nvidia/pytorch:25.10-py3'
    '[base 1/6] FROM nvcr.io/nvidia/pytorch:25.10-py3'
    '[base 2/6] RUN apt-get update && apt-get install -y --no-install-recommends curl git ninja-build'
    '[builder 3/6] RUN git clone https://github.com/triton-lang/triton.git && cd triton && pip wheel .'
    '[builder 4/6] RUN git clone https://github.com/vllm-project/vllm.git && cd vllm && git checkout main'
    '[builder 5/6] RUN cd vllm && python3 use_existing_torch.py && pip wheel --no-build-isolation -v .'
    '[runtime 6/6] RUN pip install /wheels/*.whl fastsafetensors ray[default]'
  )
  echo '#0 building with "default" instance using docker driver' >&2
  for ((step = 1; step <= ${#steps[@]}; step++)); do
    printf '\n#%d %s\n' "$step" "${steps[step - 1]}" >&2
    sim_sleep_ms 6000
    [[ $step == 7 && -e $SIM_STATE/build-fault ]] && build_failure "$step" "${steps[step - 1]}"
    printf '#%d DONE %d.%ds\n' "$step" $((RANDOM % 300)) $((RANDOM % 10)) >&2
  done
  printf -v id 'sha256:%08x%08x%08x%08x%08x%08x%08x%08x' $RANDOM$RANDOM $RANDOM$RANDOM $RANDOM$RANDOM \
    $RANDOM$RANDOM $RANDOM$RANDOM $RANDOM$RANDOM $RANDOM$RANDOM $RANDOM$RANDOM
  printf '\n#%d exporting to image\n#%d writing image %s done\n#%d naming to docker.io/library/%s done\n#%d DONE 41.7s\n' \
    $step $step "$id" $step "$tag" $step >&2
  set_image "$tag" "$id"
}

build_failure() { # STEP TITLE: BuildKit's report of a RUN step that exited 1, then exit 1
  local run=${2#*] RUN } err="      error: command '/usr/local/cuda/bin/nvcc' failed with exit code 1"
  printf '#%d 287.4 [412/655] Building CUDA object CMakeFiles/_C.dir/csrc/attention/paged_attention_v2.cu.o\n' "$1" >&2
  printf '#%d 291.0 FAILED: CMakeFiles/_C.dir/csrc/quantization/fp4/nvfp4_scaled_mm_sm120_kernels.cu.o\n' "$1" >&2
  printf '#%d 291.0 %s\n' "$1" "$err" >&2
  printf '#%d ERROR: process "/bin/sh -c %s" did not complete successfully: exit code: 1\n' "$1" "$run" >&2
  printf -- '------\n > %s:\n291.0 %s\n------\n' "$2" "$err" >&2
  printf 'Dockerfile:61\n--------------------\n  60 |     # Build vLLM wheel against the image'"'"'s torch\n  61 | >>> RUN %s\n--------------------\n' "$run" >&2
  printf 'ERROR: failed to solve: process "/bin/sh -c %s" did not complete successfully: exit code: 1\n' "$run" >&2
  exit 1
}

docker_tag() { # SRC DST: DST names SRC's image (same id); DST's old image keeps only its other names
  local -a names=()
  while (($#)); do
    case $1 in
      --help) printf 'Usage:  docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n\nCreate a tag TARGET_IMAGE that refers to SOURCE_IMAGE\n'; exit 0 ;;
      -*) printf "unknown flag: %s\nSee 'docker tag --help'.\n" "$1" >&2; exit 125 ;;
      *) names+=("$1") ;;
    esac
    shift
  done
  if ((${#names[@]} != 2)); then
    printf '"docker tag" requires exactly 2 arguments.\nSee '"'"'docker tag --help'"'"'.\n\nUsage:  docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n\nCreate a tag TARGET_IMAGE that refers to SOURCE_IMAGE\n' >&2
    exit 1
  fi
  if ! image_known "${names[0]}"; then
    printf 'Error response from daemon: No such image: %s\n' "$( [[ ${names[0]##*/} == *:* ]] && echo "${names[0]}" || echo "${names[0]}:latest")" >&2
    exit 1
  fi
  if [[ ! ${names[1]} =~ ^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$ ]]; then
    printf 'Error parsing reference: "%s" is not a valid repository/tag: invalid reference format\n' "${names[1]}" >&2
    exit 1
  fi
  set_image "${names[1]}" "$IMG_ID"
}

docker_save() {
  local out='' n
  local -a names=()
  while (($#)); do
    case $1 in
      -o | --output) shift; out=${1-} ;;
      --output=*) out=${1#*=} ;;
      *) names+=("$1") ;;
    esac
    shift
  done
  {
    for n in "${names[@]}"; do
      image_known "$n" || { printf 'Error response from daemon: reference does not exist\n' >&2; exit 1; }
      printf 'SIM-IMAGE\t%s\t%s\n' "${n%:latest}" "$IMG_ID"
    done
  } >"${out:-/dev/stdout}"
}

docker_load() {
  local in='' tag name id ok=0
  while (($#)); do
    case $1 in
      -i | --input) shift; in=${1-} ;;
      --input=*) in=${1#*=} ;;
      -q | --quiet) ;;
    esac
    shift
  done
  while IFS=$'\t' read -r tag name id; do
    [[ $tag == SIM-IMAGE ]] || continue
    sim_sleep_ms 8000
    set_image "$name" "$id"
    printf 'Loaded image: %s:latest\n' "$name"
    ok=1
  done < <(cat "${in:-/dev/stdin}")
  ((ok)) || { echo 'open /var/lib/docker/tmp/docker-import: archive/tar: invalid tar header' >&2; exit 1; }
}
