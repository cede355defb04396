#!/usr/bin/env bash
# Usage: production-temporal.sh DATA_DIR PORT [TASK_QUEUE...]
# Runs Temporal the way a self-hosted cluster runs it, in the foreground until SIGTERM or SIGINT, for the
# integration tests (`npm run test:production-temporal`) and for trying the product against such a server:
# - Temporal's server (scripts/tools.sh temporal-server), its frontend on 127.0.0.1:PORT and its other
#   services on free loopback ports;
# - PostgreSQL for persistence and for SQL visibility: a private cluster in DATA_DIR/postgres on a free
#   loopback port, its schemas set up by Temporal's own SQL tool. DATA_DIR is emptied at every start;
# - a dynamic-config file holding only what the product's docs tell self-hosted users to set: fairness on
#   and one partition for `<TASK_QUEUE>-spapi` of each TASK_QUEUE (default: review-solicitations) in the
#   `default` namespace. Every other queue keeps the server's defaults (four partitions, fairness off);
# - the `default` namespace with a retention of 45 days, as the product's docs ask.
# Prints `ready <address>` on stdout once the namespace answers. Logs: DATA_DIR/temporal.log and
# DATA_DIR/postgres.log. Run it behind scripts/guarded; its own servers run behind it the same way.
set -euo pipefail

data=${1:?usage: production-temporal.sh DATA_DIR PORT [TASK_QUEUE...]}
port=${2:?usage: production-temporal.sh DATA_DIR PORT [TASK_QUEUE...]}
shift 2
queues=("$@")
[ ${#queues[@]} -gt 0 ] || queues=(review-solicitations)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
server_dir="$here/../.tools/temporal-server"
pg="$server_dir/postgresql"
cli="$here/../.tools/bin/temporal"
for needed in "$server_dir/bin/temporal-server" "$server_dir/bin/temporal-sql-tool" "$pg/postgres" "$cli"; do
  [ -x "$needed" ] || { echo "production-temporal: $needed is missing: run 'bash scripts/tools.sh temporal-server'" >&2; exit 1; }
done

say() { printf 'production-temporal: %s\n' "$*" >&2; }

pids=()
stop() {
  trap - EXIT INT TERM
  # The server first, so that it does not log every lost PostgreSQL connection; PostgreSQL's fast shutdown on SIGINT.
  [ ${#pids[@]} -lt 2 ] || kill -TERM "${pids[1]}" 2>/dev/null || true
  [ ${#pids[@]} -lt 2 ] || wait "${pids[1]}" 2>/dev/null || true
  [ ${#pids[@]} -lt 1 ] || kill -INT "${pids[0]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

free_ports() { # N LOW HIGH: N distinct free loopback ports from LOW to HIGH
  python3 - "$@" <<'PY'
import random, socket, sys
count, low, high = map(int, sys.argv[1:])
held = []
while len(held) < count:
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", random.randint(low, high)))
        held.append(s)
    except OSError:
        s.close()
print(" ".join(str(s.getsockname()[1]) for s in held))
PY
}

# PostgreSQL refuses to run as root: as root, it runs as the postgres user the Debian package creates.
as_postgres=()
if [ "$(id -u)" = 0 ]; then as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups --); fi

rm -rf "$data"
mkdir -p "$data/postgres"
data=$(cd "$data" && pwd)
[ ${#as_postgres[@]} -eq 0 ] || chown postgres: "$data/postgres"

read -r pg_port history_port matching_port worker_port <<<"$(free_ports 4 40000 60999)"
# The server keeps membership ports in a SMALLINT column (cluster_membership.rpc_port): below 32768.
read -r frontend_member history_member matching_member worker_member <<<"$(free_ports 4 20000 32767)"

"${as_postgres[@]}" "$pg/initdb" -D "$data/postgres" -U temporal --auth=trust -E UTF8 --no-sync >"$data/postgres.log" 2>&1
# Durability settings only, which change no query's result: the cluster is thrown away at the next start.
"$here/guarded" "${as_postgres[@]}" "$pg/postgres" -D "$data/postgres" -h 127.0.0.1 -p "$pg_port" \
  -k "$data/postgres" -c fsync=off -c synchronous_commit=off -c full_page_writes=off >>"$data/postgres.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do
  "$pg/pg_isready" -q -h 127.0.0.1 -p "$pg_port" && break
  kill -0 "${pids[0]}" 2>/dev/null || { say "PostgreSQL did not start (log: $data/postgres.log)"; exit 1; }
  sleep 0.2
done

schemas="$server_dir/schema/postgresql/v12"
for db in temporal:temporal temporal_visibility:visibility; do
  name=${db%%:*} schema=${db##*:}
  sql=("$server_dir/bin/temporal-sql-tool" --plugin postgres12 --ep 127.0.0.1 -p "$pg_port" -u temporal --db "$name")
  { "${sql[@]}" create-database &&
    "${sql[@]}" setup-schema -v 0.0 &&
    "${sql[@]}" update-schema -d "$schemas/$schema/versioned"; } >>"$data/schema.log" 2>&1 ||
    { say "schema set-up of $name failed (log: $data/schema.log)"; exit 1; }
done

{
  echo "# What the product's docs tell a self-hosted cluster to set for SP-API pacing; the rest is the server's default."
  for setting in matching.enableFairness:true matching.numTaskqueueWritePartitions:1 matching.numTaskqueueReadPartitions:1; do
    echo "${setting%%:*}:"
    for queue in "${queues[@]}"; do
      echo "  - value: ${setting##*:}"
      echo "    constraints: { namespace: default, taskQueueName: $queue-spapi }"
    done
  done
} >"$data/dynamic-config.yaml"

store() { # NAME DATABASE MAX_CONNS
  cat <<YAML
    $1:
      sql:
        pluginName: postgres12
        databaseName: $2
        connectAddr: "127.0.0.1:$pg_port"
        connectProtocol: tcp
        user: temporal
        password: ""
        maxConns: $3
        maxIdleConns: $3
        maxConnLifetime: 1h
YAML
}
service() { # NAME GRPC_PORT MEMBERSHIP_PORT
  cat <<YAML
  $1:
    rpc:
      grpcPort: $2
      membershipPort: $3
      bindOnLocalHost: true
YAML
}
cat >"$data/config.yaml" <<YAML
log:
  stdout: true
  level: warn
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: 4
  datastores:
$(store postgres-default temporal 20)
$(store postgres-visibility temporal_visibility 10)
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
services:
$(service frontend "$port" "$frontend_member")
$(service history "$history_port" "$history_member")
$(service matching "$matching_port" "$matching_member")
$(service worker "$worker_port" "$worker_member")
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:$port"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: "$data/dynamic-config.yaml"
  pollInterval: 10s
YAML

"$here/guarded" "$server_dir/bin/temporal-server" --config-file "$data/config.yaml" --allow-no-auth start \
  >"$data/temporal.log" 2>&1 &
pids+=($!)

address="127.0.0.1:$port"
ready=false
for _ in $(seq 1 300); do
  kill -0 "${pids[1]}" 2>/dev/null || { say "the server exited (log: $data/temporal.log)"; exit 1; }
  if "$cli" operator namespace describe --namespace default --address "$address" >/dev/null 2>&1 ||
    "$cli" operator namespace create --namespace default --retention 45d --address "$address" >/dev/null 2>&1; then
    # A new namespace reaches every service once their caches refresh: a list call answers then.
    if "$cli" workflow list --namespace default --limit 1 --address "$address" >/dev/null 2>&1; then
      ready=true
      break
    fi
  fi
  sleep 0.2
done
$ready || { say "the server did not come up (log: $data/temporal.log)"; exit 1; }
echo "ready $address"
wait "${pids[1]}"
