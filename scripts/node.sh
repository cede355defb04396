# Sourced by the npm scripts and .ci/run: puts a Node.js >= 22 first on PATH. A node on PATH that is new
# enough is used as is; otherwise Node 24 LTS comes from the npm registry (the node-linux-<arch> package
# ships the official binary) into .tools/node, once. npm and npx keep working: they run on the node first
# on PATH.
NODE_LTS_VERSION=24.22.3
NODE_MIN_MAJOR=22

use_node() {
  local root tools dir arch package tmp
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  tools="$root/.tools"
  dir="$tools/node"
  if command -v node >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge "$NODE_MIN_MAJOR" ]; then
    return 0
  elif [ -x "$dir/bin/node" ] && [ "$("$dir/bin/node" --version)" = "v$NODE_LTS_VERSION" ]; then
    PATH="$dir/bin:$PATH"
  else
    case $(uname -m) in
      x86_64) arch=x64 ;;
      aarch64 | arm64) arch=arm64 ;;
      *) printf 'node: no Node.js >= %s on PATH and no node-linux package for %s; install Node.js %s\n' \
        "$NODE_MIN_MAJOR" "$(uname -m)" "$NODE_LTS_VERSION" >&2; return 1 ;;
    esac
    package="node-linux-$arch@$NODE_LTS_VERSION"
    tmp=$(mktemp -d)
    if ! (cd "$tmp" && npm pack --silent "$package" >/dev/null && tar xzf ./*.tgz) || [ ! -x "$tmp/package/bin/node" ]; then
      rm -rf "$tmp"
      printf 'node: no Node.js >= %s on PATH and npm could not fetch %s\n' "$NODE_MIN_MAJOR" "$package" >&2
      return 1
    fi
    mkdir -p "$tools"
    rm -rf "$dir" && mv "$tmp/package" "$dir" && rm -rf "$tmp"
    printf 'node: Node.js %s from the npm registry (%s)\n' "$NODE_LTS_VERSION" "$package" >&2
    PATH="$dir/bin:$PATH"
  fi
  export PATH
}

use_node
