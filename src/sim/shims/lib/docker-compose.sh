# shellcheck shell=bash
# `docker compose up [-d] [--build]` for a simulated Spark: reads the compose file in the current
# directory (the small subset the matrix-bridge clone uses: services with build/image,
# container_name, command), builds the image when asked (a new image id), and recreates each
# service's container with `docker run -d`, printing Compose v2's progress lines on stderr.

compose_file() { # → CF: the first compose file docker compose looks for, or fail like it does
  local f
  for f in compose.yaml compose.yml docker-compose.yml docker-compose.yaml; do
    [[ -r $f ]] && { CF=$f; return 0; }
  done
  echo 'no configuration file provided: not found' >&2
  exit 1
}

# compose_services FILE → lines "service|container_name|image|build|command" (not tabs: `read`
# would merge empty tab-separated fields)
compose_services() {
  awk '
    function flush() { if (svc != "") printf "%s|%s|%s|%s|%s\n", svc, cname, image, build, cmd }
    /^services:[[:space:]]*$/ { in_s = 1; next }
    /^[^[:space:]#]/ { if (in_s) { flush(); svc = "" } in_s = 0 }
    in_s && /^  [A-Za-z0-9_.-]+:[[:space:]]*$/ { flush(); svc = $1; sub(/:$/, "", svc); cname = ""; image = ""; build = ""; cmd = ""; next }
    in_s && svc != "" && /^    container_name:/ { cname = $2 }
    in_s && svc != "" && /^    image:/ { image = $2 }
    in_s && svc != "" && /^    build:/ { build = ($2 == "" ? "." : $2) }
    in_s && svc != "" && /^    command:/ { $1 = ""; cmd = substr($0, 2) }
    END { if (in_s) flush() }
  ' "$1" | tr -d "\"'"
}

docker_compose() {
  local sub=${1-} detach=0 build=0 project svc cname image bctx cmd id t0
  (($#)) && shift
  case $sub in
    version | --version | -v) echo 'Docker Compose version v2.39.4'; return 0 ;;
    up) ;;
    *) printf 'docker: '\''compose %s'\'' is not available on this simulated Spark yet\n' "$sub" >&2; exit 125 ;;
  esac
  while (($#)); do
    case $1 in
      -d | --detach) detach=1 ;;
      --build) build=1 ;;
      --force-recreate | --remove-orphans | --no-deps | --quiet-pull | --wait) ;;
      -*) printf 'unknown flag: %s\n' "$1" >&2; exit 1 ;;
      *) ;;
    esac
    shift
  done
  ((detach)) || { echo 'this simulated Spark only runs `docker compose up -d`' >&2; exit 125; }
  compose_file
  project=${PWD##*/}
  project=${project,,}
  project=${project//[^a-z0-9_-]/}
  local -a rows=()
  mapfile -t rows < <(compose_services "$CF")
  ((${#rows[@]})) || { printf 'no service selected\n' >&2; exit 1; }
  for row in "${rows[@]}"; do
    IFS='|' read -r svc cname image bctx cmd <<<"$row"
    [[ -n $image ]] || image=$project-$svc
    if ((build)) && [[ -n $bctx ]]; then
      t0=$EPOCHSECONDS
      printf '[+] Building 0.0s (0/6)\n' >&2
      for step in '[internal] load build definition from Dockerfile' '[internal] load metadata for docker.io/library/python:3.12-slim' \
        '[1/4] FROM docker.io/library/python:3.12-slim' '[2/4] COPY requirements.txt .' '[3/4] RUN pip install -r requirements.txt' '[4/4] COPY . .'; do
        sim_sleep_ms 400
        printf ' => %s\n' "$step" >&2
      done
      printf -v id 'sha256:%08x%08x%08x%08x%08x%08x%08x%08x' $RANDOM$RANDOM $RANDOM$RANDOM $RANDOM$RANDOM \
        $RANDOM$RANDOM $RANDOM$RANDOM $RANDOM$RANDOM $RANDOM$RANDOM $RANDOM$RANDOM
      printf ' => exporting to image\n => => writing image %s\n => => naming to docker.io/library/%s\n' "$id" "$image" >&2
      printf '[+] Building %d.0s (6/6) FINISHED\n' $((EPOCHSECONDS - t0)) >&2
      set_image "$image" "$id"
    fi
    [[ -n $cname ]] || cname=$project-$svc-1
    printf '[+] Running 1/1\n' >&2
    if resolve "$cname"; then
      docker rm -f "$cname" >/dev/null 2>&1
      printf ' \xe2\x9c\x94 Container %s  Recreated\n' "$cname" >&2
    else
      printf ' \xe2\x9c\x94 Container %s  Created\n' "$cname" >&2
    fi
    # shellcheck disable=SC2086 # the compose command is split into words, as compose does
    docker run -d --name "$cname" --restart unless-stopped "$image" $cmd >/dev/null || exit 1
    printf ' \xe2\x9c\x94 Container %s  Started\n' "$cname" >&2
  done
}
