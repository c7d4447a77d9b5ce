#!/bin/bash
# launch-cluster.sh: start, stop and run commands in the vLLM container across DGX Spark nodes.
#
# Simulated spark-vllm-docker launcher: the options, the console output and the docker/ssh calls
# follow eugr/spark-vllm-docker's launch-cluster.sh; node discovery reads the simulated cluster
# instead of probing InfiniBand (see the "Auto-detection" section).

# Default Configuration
IMAGE_NAME="vllm-node"
DEFAULT_CONTAINER_NAME="vllm_node"
HF_CACHE_DIR="${HF_HOME:-$HOME/.cache/huggingface}"
DOCKER_ARGS="-e NCCL_IGNORE_CPU_AFFINITY=1"
DOCKER_ARGS="$DOCKER_ARGS -e PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True"
DOCKER_ARGS="$DOCKER_ARGS -v $HF_CACHE_DIR:/root/.cache/huggingface"
if [[ -n "$VLLM_SPARK_EXTRA_DOCKER_ARGS" ]]; then
    DOCKER_ARGS="$DOCKER_ARGS $VLLM_SPARK_EXTRA_DOCKER_ARGS"
fi

ETH_IF=""
IB_IF=""
MASTER_PORT="29501"
NODES_ARG=""
CONTAINER_NAME="$DEFAULT_CONTAINER_NAME"
COMMAND_TO_RUN=""
DAEMON_MODE="false"
CHECK_CONFIG="false"
ACTION=""
CLUSTER_WAS_RUNNING="false"
SOLO_MODE="false"
NO_RAY_MODE="true"
NO_RAY_EXPLICIT="false"
RAY_MODE_EXPLICIT="false"
NOFILE_LIMIT="${VLLM_SPARK_NOFILE_LIMIT:-1048576}"
PEER_NODES=()
# ssh destination of each peer, parallel to PEER_NODES
PEER_HOSTS=()

usage() {
    echo "Usage: $0 [-n <node_ips>] [-t <image_name>] [--name <container_name>] [--eth-if <if_name>] [--ib-if <if_name>] [--check-config] [--solo] [--ray|--no-ray] [-d] [action] [command]"
    echo "  -n, --nodes     Comma-separated list of node IPs (Optional, auto-detected if omitted)"
    echo "  -t              Docker image name (Optional, default: $IMAGE_NAME)"
    echo "  --name          Container name (Optional, default: $DEFAULT_CONTAINER_NAME)"
    echo "  --eth-if        Ethernet interface (Optional, auto-detected)"
    echo "  --ib-if         InfiniBand interface (Optional, auto-detected)"
    echo "  -e, --env       Environment variable to pass to container (e.g. -e VAR=val)"
    echo "  --check-config  Check configuration and auto-detection without launching"
    echo "  --solo          Solo mode: skip autodetection, launch only on current node, do not launch Ray cluster"
    echo "  --master-port   Port for cluster coordination: Ray head port or PyTorch distributed master port (default: 29501)"
    echo "  --ray           Use Ray for multi-node vLLM and add --distributed-executor-backend ray if missing"
    echo "  --no-ray        Default for multi-node vLLM without Ray (accepted for compatibility)"
    echo "  -d              Daemon mode (only for 'start' action)"
    echo "  action          start | stop | status | exec (Default: start)"
    echo "  command         Command to run (only for 'exec' action)"
    exit 1
}

# Parse arguments
while [[ "$#" -gt 0 ]]; do
    case $1 in
        -n|--nodes) NODES_ARG="$2"; shift ;;
        -t) IMAGE_NAME="$2"; shift ;;
        --name) CONTAINER_NAME="$2"; shift ;;
        --eth-if) ETH_IF="$2"; shift ;;
        --ib-if) IB_IF="$2"; shift ;;
        -e|--env) DOCKER_ARGS="$DOCKER_ARGS -e $2"; shift ;;
        --master-port|--head-port) MASTER_PORT="$2"; shift ;;
        --check-config) CHECK_CONFIG="true" ;;
        --solo) SOLO_MODE="true" ;;
        --ray)
            if [[ "$NO_RAY_EXPLICIT" == "true" ]]; then
                echo "Error: --ray and --no-ray are mutually exclusive."
                exit 1
            fi
            NO_RAY_MODE="false"
            RAY_MODE_EXPLICIT="true"
            ;;
        --no-ray)
            if [[ "$RAY_MODE_EXPLICIT" == "true" ]]; then
                echo "Error: --ray and --no-ray are mutually exclusive."
                exit 1
            fi
            NO_RAY_MODE="true"
            NO_RAY_EXPLICIT="true"
            ;;
        -d) DAEMON_MODE="true" ;;
        -h|--help) usage ;;
        start|stop|status) ACTION="$1" ;;
        exec)
            ACTION="exec"
            shift
            COMMAND_TO_RUN=$(printf "%q " "$@")
            break
            ;;
        *)
            echo "Error: Unknown argument or action: $1"
            usage
            ;;
    esac
    shift
done

# --- Simulated cluster -------------------------------------------------------------------------
# Each node's state dir lists every node (name, LAN IP, QSFP IP, hostname) and the speed factor.
sim_sleep() { # SECONDS (integer), scaled by the simulation speed
    local permille=1000 ms
    [[ -r $SIM_STATE/speed_permille ]] && read -r permille <"$SIM_STATE/speed_permille"
    ms=$(($1 * 1000 * permille / 1000))
    ((ms > 0)) && sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
    return 0
}
SELF_QSFP="" SELF_LAN="" SELF_HOST=""
OTHER_NAMES=() OTHER_LANS=() OTHER_QSFPS=() OTHER_HOSTS=()
while IFS=$'\t' read -r sim_name sim_lan sim_qsfp sim_host; do
    if [[ "$sim_name" == "$SIM_NODE" ]]; then
        SELF_QSFP=$sim_qsfp SELF_LAN=$sim_lan SELF_HOST=$sim_host
    else
        OTHER_NAMES+=("$sim_name") OTHER_LANS+=("$sim_lan") OTHER_QSFPS+=("$sim_qsfp") OTHER_HOSTS+=("$sim_host")
    fi
done <"$SIM_STATE/peers"

# --- Auto-detection ----------------------------------------------------------------------------
detect_interfaces() {
    if [[ -n "$ETH_IF" && -n "$IB_IF" ]]; then
        return 0
    fi
    echo "Auto-detecting interfaces..."
    if [[ -z "$IB_IF" ]]; then
        IB_IF="rocep1s0f0,roceP2p1s0f0"
        echo "  Detected IB_IF: $IB_IF"
    fi
    if [[ -z "$ETH_IF" ]]; then
        ETH_IF="enp1s0f0np0"
        echo "  Detected ETH_IF: $ETH_IF"
    fi
}

detect_local_ip() {
    if [[ -n "$LOCAL_IP" ]]; then
        return 0
    fi
    detect_interfaces || return 1
    LOCAL_IP="$SELF_QSFP"
    echo "  Detected Local IP: $LOCAL_IP ($LOCAL_IP/26)"
}

# Maps the -n list onto the simulated nodes. An entry names this node when it is one of its
# addresses or names; loopback entries (all a simulated cluster has) stand for this node first,
# then for the other nodes in order. Fills HEAD_IP, PEER_NODES and PEER_HOSTS.
map_nodes() {
    local entry i used=() found
    HEAD_IP="" PEER_NODES=() PEER_HOSTS=()
    IFS=',' read -r -a ALL_NODES <<< "$NODES_ARG"
    for entry in "${ALL_NODES[@]}"; do
        entry=$(echo "$entry" | xargs)
        [[ -n "$entry" ]] || continue
        if [[ -z "$HEAD_IP" && ( "$entry" == "$SELF_QSFP" || "$entry" == "$SELF_LAN" || "$entry" == "$SELF_HOST" || \
              "$entry" == "$SIM_NODE" || "$entry" == "$LOCAL_IP" || "$entry" == 127.* || "$entry" == localhost ) ]]; then
            HEAD_IP="$entry"
            continue
        fi
        found=-1
        for i in "${!OTHER_NAMES[@]}"; do
            [[ " ${used[*]} " == *" $i "* ]] && continue
            if [[ "$entry" == "${OTHER_NAMES[i]}" || "$entry" == "${OTHER_LANS[i]}" || "$entry" == "${OTHER_QSFPS[i]}" || \
                  "$entry" == "${OTHER_HOSTS[i]}" ]] || [[ ( "$entry" == 127.* || "$entry" == localhost ) && $found -lt 0 ]]; then
                found=$i
                [[ "$entry" == 127.* || "$entry" == localhost ]] || break
            fi
        done
        if ((found < 0)); then
            # An address that is no simulated node: it stays in the list and fails the SSH check.
            PEER_NODES+=("$entry") PEER_HOSTS+=("$entry")
            continue
        fi
        used+=("$found")
        PEER_NODES+=("$entry") PEER_HOSTS+=("${OTHER_LANS[found]}")
    done
}

detect_nodes() {
    detect_local_ip || return 1
    if [[ -n "$NODES_ARG" ]]; then
        map_nodes
        return 0
    fi
    echo "Auto-detecting nodes..."
    local i
    NODES_ARG="$LOCAL_IP"
    for i in "${!OTHER_NAMES[@]}"; do
        if ssh -o BatchMode=yes -o ConnectTimeout=1 "${OTHER_LANS[i]}" true 2>/dev/null; then
            echo "  Found node: ${OTHER_QSFPS[i]}"
            NODES_ARG="$NODES_ARG,${OTHER_QSFPS[i]}"
        fi
    done
    map_nodes
}

if [[ "$SOLO_MODE" == "true" ]]; then
    LOCAL_IP="${LOCAL_IP:-127.0.0.1}"
    NODES_ARG="$LOCAL_IP"
    HEAD_IP="$LOCAL_IP"
    PEER_NODES=()
    echo "Solo mode enabled. Skipping node detection."
else
    detect_interfaces || exit 1
    detect_nodes || exit 1
fi

if [[ -z "$NODES_ARG" ]]; then
    echo "Error: Nodes argument (-n) is mandatory or could not be auto-detected."
    usage
fi

if [[ -z "$HEAD_IP" ]]; then
    echo "Error: Local IP ($LOCAL_IP) is not in the list of nodes ($NODES_ARG)."
    exit 1
fi

# Implicit Solo Mode Detection
if [[ "$SOLO_MODE" == "false" && ${#PEER_NODES[@]} -eq 0 ]]; then
    echo "Only local node detected/configured. Activating solo mode (no Ray cluster)."
    SOLO_MODE="true"
fi

if [[ "$SOLO_MODE" == "true" ]]; then
    if [[ "$RAY_MODE_EXPLICIT" == "true" ]]; then
        echo "Error: --ray is incompatible with --solo or a single-node configuration."
        exit 1
    fi
    if [[ "$NO_RAY_EXPLICIT" == "true" ]]; then
        echo "Error: --no-ray is incompatible with --solo or a single-node configuration."
        exit 1
    fi
fi

if [[ "$NO_RAY_MODE" == "true" && "$SOLO_MODE" == "true" ]]; then
    NO_RAY_MODE="false"
fi

echo "Head Node: $HEAD_IP"
echo "Worker Nodes: ${PEER_NODES[*]}"
echo "Container Name: $CONTAINER_NAME"
echo "Image Name: $IMAGE_NAME"
echo "Action: $ACTION"

# Check SSH connectivity to worker nodes
if [[ "$ACTION" == "start" || "$ACTION" == "exec" || "$CHECK_CONFIG" == "true" ]]; then
    if [ ${#PEER_NODES[@]} -gt 0 ]; then
        echo "Checking SSH connectivity to worker nodes..."
        for i in "${!PEER_NODES[@]}"; do
            if ! ssh -o BatchMode=yes -o ConnectTimeout=5 -o StrictHostKeyChecking=no "${PEER_HOSTS[i]}" true 2>/dev/null; then
                echo "Error: Passwordless SSH to ${PEER_NODES[i]} failed."
                echo "  Please ensure SSH keys are configured and the host is reachable."
                exit 1
            fi
            echo "  SSH to ${PEER_NODES[i]}: OK"
        done
    fi
fi

if [[ -z "$ACTION" && "$CHECK_CONFIG" != "true" ]]; then
    echo "Error: No action specified. Use: start | stop | status | exec"
    usage
fi

if [[ "$CHECK_CONFIG" == "true" ]]; then
    echo "Configuration Check Complete."
    echo "  Image Name: $IMAGE_NAME"
    echo "  ETH Interface: $ETH_IF"
    echo "  IB Interface: $IB_IF"
    echo "  Docker Args: $DOCKER_ARGS"
    echo "  Docker Network: host"
    exit 0
fi

# Cleanup Function
cleanup() {
    trap - EXIT INT TERM HUP

    if [[ "$CLUSTER_WAS_RUNNING" == "true" ]]; then
        echo "Cluster was already running when script started. Skipping cleanup."
        return
    fi

    echo ""
    echo "Stopping cluster..."

    echo "Stopping head node ($HEAD_IP)..."
    docker stop "$CONTAINER_NAME" >/dev/null 2>&1 || true

    for i in "${!PEER_NODES[@]}"; do
        echo "Stopping worker node (${PEER_NODES[i]})..."
        ssh "${PEER_HOSTS[i]}" "docker stop $CONTAINER_NAME" >/dev/null 2>&1 || true
    done

    echo "Cluster stopped."
}

# Handle 'stop' action
if [[ "$ACTION" == "stop" ]]; then
    cleanup
    exit 0
fi

# Handle 'status' action
if [[ "$ACTION" == "status" ]]; then
    echo "Checking status..."
    if docker ps | grep -q "$CONTAINER_NAME"; then
        echo "[HEAD] $HEAD_IP: Container '$CONTAINER_NAME' is RUNNING."
        if [[ "$NO_RAY_MODE" == "false" && "$SOLO_MODE" == "false" ]]; then
            echo "--- Ray Status ---"
            docker exec "$CONTAINER_NAME" ray status || echo "Failed to get ray status."
            echo "------------------"
        fi
    else
        echo "[HEAD] $HEAD_IP: Container '$CONTAINER_NAME' is NOT running."
    fi
    for i in "${!PEER_NODES[@]}"; do
        if ssh "${PEER_HOSTS[i]}" "docker ps | grep -q '$CONTAINER_NAME'"; then
            echo "[WORKER] ${PEER_NODES[i]}: Container '$CONTAINER_NAME' is RUNNING."
        else
            echo "[WORKER] ${PEER_NODES[i]}: Container '$CONTAINER_NAME' is NOT running."
        fi
    done
    exit 0
fi

# Only trap if we are NOT in daemon mode (containers persist in daemon mode)
if [[ "$DAEMON_MODE" == "false" ]]; then
    trap cleanup EXIT INT TERM HUP
fi

check_cluster_running() {
    local running=false

    if docker ps --format '{{.Names}}' | grep -q "^${CONTAINER_NAME}$"; then
        echo "Warning: Container '$CONTAINER_NAME' is already running on head node ($HEAD_IP)."
        running=true
    fi

    for i in "${!PEER_NODES[@]}"; do
        if ssh "${PEER_HOSTS[i]}" "docker ps --format '{{.Names}}' | grep -q '^${CONTAINER_NAME}$'"; then
            echo "Warning: Container '$CONTAINER_NAME' is already running on worker node (${PEER_NODES[i]})."
            running=true
        fi
    done

    if [[ "$running" == "true" ]]; then
        echo "Cluster containers are already running. Skipping launch."
        CLUSTER_WAS_RUNNING="true"
        return 0
    fi
}

get_env_flags() {
    local node_ip="$1"
    printf -- '-e %s ' \
        "VLLM_HOST_IP=$node_ip" \
        "RAY_NODE_IP_ADDRESS=$node_ip" \
        "RAY_OVERRIDE_NODE_IP_ADDRESS=$node_ip" \
        "MN_IF_NAME=$ETH_IF" \
        "NCCL_SOCKET_IFNAME=$ETH_IF" \
        "NCCL_IB_HCA=$IB_IF" \
        "NCCL_IB_DISABLE=0" \
        "GLOO_SOCKET_IFNAME=$ETH_IF"
}

# Verify that the selected image resolves to the same image ID on the head and every worker.
verify_cluster_image_consistency() {
    if [[ ${#PEER_NODES[@]} -eq 0 ]]; then
        return 0
    fi

    echo "Verifying Docker image consistency across cluster nodes..."

    local head_image_id worker_image_id inspect_cmd image_error=false
    if ! head_image_id=$(docker image inspect --format '{{.Id}}' "$IMAGE_NAME" 2>/dev/null) || [[ -z "$head_image_id" ]]; then
        echo "Error: Could not inspect image '$IMAGE_NAME' on head node ($HEAD_IP)."
        echo "       Make sure the image exists and is accessible to the current user."
        return 1
    fi
    echo "  [HEAD] $HEAD_IP: $head_image_id"

    printf -v inspect_cmd "docker image inspect --format '{{.Id}}' %q" "$IMAGE_NAME"
    for i in "${!PEER_NODES[@]}"; do
        if ! worker_image_id=$(ssh -o BatchMode=yes -o StrictHostKeyChecking=no "${PEER_HOSTS[i]}" "$inspect_cmd" 2>/dev/null) || [[ -z "$worker_image_id" ]]; then
            echo "Error: Could not inspect image '$IMAGE_NAME' on worker node (${PEER_NODES[i]})."
            echo "       The image may be missing or inaccessible to the remote user."
            image_error=true
        elif [[ "$worker_image_id" != "$head_image_id" ]]; then
            echo "Error: Docker image mismatch on worker node (${PEER_NODES[i]}):"
            echo "       Head:   $head_image_id"
            echo "       Worker: $worker_image_id"
            image_error=true
        else
            echo "  [WORKER] ${PEER_NODES[i]}: $worker_image_id (match)"
        fi
    done

    if [[ "$image_error" == "true" ]]; then
        echo "Error: Cluster launch aborted because image '$IMAGE_NAME' is not in sync."
        printf "       Sync it with: ./build-and-copy.sh --no-build -t %q --copy-to <worker-hosts>\n" "$IMAGE_NAME"
        return 1
    fi

    echo "Docker image consistency check passed."
}

start_ray_head() {
    echo "Starting Ray HEAD node on $HEAD_IP..."
    docker exec -d "$CONTAINER_NAME" bash -c \
        "ray start --block --head --port $MASTER_PORT --object-store-memory 1073741824 --num-cpus 2 \
         --node-ip-address $HEAD_IP --include-dashboard=false --disable-usage-stats >> /proc/1/fd/1 2>&1"
}

start_ray_worker() {
    local i="$1"
    echo "Starting Ray WORKER node on ${PEER_NODES[i]}..."
    ssh -o BatchMode=yes -o StrictHostKeyChecking=no "${PEER_HOSTS[i]}" \
        "docker exec -d $CONTAINER_NAME bash -c \
         'ray start --block --object-store-memory 1073741824 --num-cpus 2 --disable-usage-stats \
          --address=$HEAD_IP:$MASTER_PORT --node-ip-address ${PEER_NODES[i]} >> /proc/1/fd/1 2>&1'"
}

wait_for_cluster() {
    echo "Waiting for cluster to be ready..."
    local retries=30 count=0
    while [[ $count -lt $retries ]]; do
        if docker exec "$CONTAINER_NAME" ray status >/dev/null 2>&1; then
            echo "Cluster head is responsive."
            sim_sleep 5
            return 0
        fi
        sim_sleep 2
        ((count++))
    done
    echo "Timeout waiting for cluster to start."
    exit 1
}

start_cluster() {
    check_cluster_running

    if [[ "$CLUSTER_WAS_RUNNING" == "true" ]]; then
        return
    fi

    verify_cluster_image_consistency || return 1

    local docker_args_common="--gpus all -d --rm --network host --name $CONTAINER_NAME --entrypoint= $DOCKER_ARGS $IMAGE_NAME"
    local docker_caps_args="--privileged"
    local docker_resource_args="--ulimit nofile=${NOFILE_LIMIT}:${NOFILE_LIMIT} --ipc=host"

    echo "Starting Head Node on $HEAD_IP..."
    mkdir -p "$HOME/.cache/vllm" "$HOME/.cache/flashinfer"
    # shellcheck disable=SC2046,SC2086 # word splitting of the docker arguments is intended
    docker run $docker_caps_args $docker_resource_args \
        $(get_env_flags "$HEAD_IP") $docker_args_common sleep infinity || return 1

    for i in "${!PEER_NODES[@]}"; do
        echo "Starting Worker Node on ${PEER_NODES[i]}..."
        ssh "${PEER_HOSTS[i]}" "docker run $docker_caps_args $docker_resource_args $(get_env_flags "${PEER_NODES[i]}") $docker_args_common sleep infinity" || return 1
    done

    if [[ "$SOLO_MODE" == "false" && "$NO_RAY_MODE" == "false" ]]; then
        start_ray_head
        for i in "${!PEER_NODES[@]}"; do
            start_ray_worker "$i"
        done
        wait_for_cluster
    else
        sim_sleep 2
    fi
}

# Execute command on head node (daemon or interactive)
_exec_on_head() {
    local cmd="$1"
    if [[ "$DAEMON_MODE" == "true" ]]; then
        docker exec -d "$CONTAINER_NAME" bash -c "$cmd >> /proc/1/fd/1 2>&1"
        echo "Command dispatched in background (Daemon mode). Container: $CONTAINER_NAME"
    else
        if [ -t 0 ]; then DOCKER_EXEC_FLAGS="-it"; else DOCKER_EXEC_FLAGS="-i"; fi
        docker exec $DOCKER_EXEC_FLAGS "$CONTAINER_NAME" bash -c "$cmd"
    fi
}

# Parse -tp/-pp/-dp (and long forms) from the command. Sets TP_SIZE, PP_SIZE, DP_SIZE, PARALLELISM_FOUND.
parse_parallelism_from_text() {
    local text="$1" normalized prev="" word
    TP_SIZE=1; PP_SIZE=1; DP_SIZE=1
    PARALLELISM_FOUND=false
    normalized=$(echo "$text" | sed 's/\(--[a-z-]*\)=/\1 /g')
    for word in $normalized; do
        case "$prev" in
            -tp|--tensor-parallel-size)
                [[ "$word" =~ ^[0-9]+$ ]] && TP_SIZE="$word" && PARALLELISM_FOUND=true ;;
            -pp|--pipeline-parallel-size)
                [[ "$word" =~ ^[0-9]+$ ]] && PP_SIZE="$word" && PARALLELISM_FOUND=true ;;
            -dp|--data-parallel-size)
                [[ "$word" =~ ^[0-9]+$ ]] && DP_SIZE="$word" && PARALLELISM_FOUND=true ;;
        esac
        prev="$word"
    done
}

ensure_ray_backend_command() {
    local cmd="$1"
    local serve_re='(^|[[:space:]])vllm[[:space:]]+serve([[:space:]]|$)'
    local backend_re='--distributed-executor-backend(=|[[:space:]]|$)'
    if [[ "$cmd" =~ $serve_re ]] && [[ ! "$cmd" =~ $backend_re ]]; then
        echo "Adding --distributed-executor-backend ray for Ray mode." >&2
        printf '%s --distributed-executor-backend ray' "$cmd"
    else
        printf '%s' "$cmd"
    fi
}

# Execute a no-ray multi-node command: workers (background) then head
exec_no_ray_cluster() {
    local base_cmd="$1" clean head_cmd remote_payload remote_cmd
    local total_nodes=$(( 1 + ${#PEER_NODES[@]} ))
    clean=$(echo "$base_cmd" | sed -E 's/--distributed-executor-backend(=|[[:space:]]+)[^[:space:]]+//g')

    local rank=1
    for i in "${!PEER_NODES[@]}"; do
        echo "Launching worker (rank $rank) on ${PEER_NODES[i]}..."
        remote_payload="$clean --nnodes $total_nodes --node-rank $rank --master-addr $HEAD_IP --master-port $MASTER_PORT --headless >> /proc/1/fd/1 2>&1"
        printf -v remote_cmd 'docker exec -d %q bash -c %q' "$CONTAINER_NAME" "$remote_payload"
        ssh -o BatchMode=yes -o StrictHostKeyChecking=no "${PEER_HOSTS[i]}" "$remote_cmd"
        (( rank++ ))
    done

    head_cmd="$clean --nnodes $total_nodes --node-rank 0 --master-addr $HEAD_IP --master-port $MASTER_PORT"
    echo "Executing command on head node (rank 0): $head_cmd"
    if [[ "$DAEMON_MODE" == "true" ]]; then
        if ! docker exec -d "$CONTAINER_NAME" bash -c "$head_cmd >> /proc/1/fd/1 2>&1"; then
            echo "Error: failed to start the command inside container '$CONTAINER_NAME'." >&2
            return 1
        fi
        echo "Command dispatched in background (Daemon mode). Container: $CONTAINER_NAME"
    else
        docker exec -i "$CONTAINER_NAME" bash -c "$head_cmd"
    fi
}

if [[ "$ACTION" == "exec" && "$SOLO_MODE" == "false" && "$NO_RAY_MODE" == "false" ]]; then
    COMMAND_TO_RUN=$(ensure_ray_backend_command "$COMMAND_TO_RUN")
fi

if [[ "$ACTION" == "exec" ]]; then
    if [[ "$SOLO_MODE" != "true" && ${#PEER_NODES[@]} -gt 0 ]]; then
        parse_parallelism_from_text "$COMMAND_TO_RUN"
        if [[ "$PARALLELISM_FOUND" == "true" ]]; then
            required_nodes=$(( TP_SIZE * PP_SIZE * DP_SIZE ))
            total_nodes=$(( 1 + ${#PEER_NODES[@]} ))
            if [[ "$required_nodes" -gt "$total_nodes" ]]; then
                echo "Error: Command requires $required_nodes nodes (tp=$TP_SIZE * pp=$PP_SIZE * dp=$DP_SIZE) but only $total_nodes node(s) are configured."
                exit 1
            elif [[ "$required_nodes" -lt "$total_nodes" ]]; then
                echo "Note: Command requires $required_nodes node(s) (tp=$TP_SIZE * pp=$PP_SIZE * dp=$DP_SIZE); using $required_nodes of $total_nodes configured node(s)."
                PEER_NODES=("${PEER_NODES[@]:0:$(( required_nodes - 1 ))}")
                PEER_HOSTS=("${PEER_HOSTS[@]:0:$(( required_nodes - 1 ))}")
            fi
        fi
    fi

    start_cluster || exit 1
    echo "Executing command: $COMMAND_TO_RUN"

    if [[ "$NO_RAY_MODE" == "true" && ${#PEER_NODES[@]} -gt 0 ]] && echo "$COMMAND_TO_RUN" | grep -q "vllm serve"; then
        exec_no_ray_cluster "$COMMAND_TO_RUN"
    else
        _exec_on_head "$COMMAND_TO_RUN"
    fi
elif [[ "$ACTION" == "start" ]]; then
    start_cluster || exit 1
    if [[ "$DAEMON_MODE" == "true" ]]; then
        echo "Cluster started in background (Daemon mode)."
    else
        echo "Cluster started. Tailing logs from head node..."
        echo "Press Ctrl+C to stop the cluster."
        docker logs -f "$CONTAINER_NAME" &
        wait $!
    fi
fi
