# Sourced by the npm scripts and .ci/run: puts a Node.js >= 22 first on PATH. A node on PATH that is new
# enough is used as is; otherwise Node 24 LTS comes from the npm registry (the node-linux-<arch> package
# ships the official binary) into .tools/node, once. npm and npx keep working: they run on the node first
# on PATH. The package is checked against the registry's dist.integrity pinned below (as hex): a package
# that changed since is refused.
NODE_LTS_VERSION=24.22.3
NODE_MIN_MAJOR=22
# npm view node-linux-<arch>@$NODE_LTS_VERSION dist.integrity, base64-decoded to hex.
NODE_SHA512_x64=287b286fe16ff587ab013bd8ba331b8b226a9d10af2edadcaff79336a46a88e486a7dec43a244fd723f8efe9271a043fc677375d8f31ce45b9f3b76567336a44
NODE_SHA512_arm64=219c74279dbfd4d0f002c6368b2591f6794f218b98be24d67ad8e3f3e125bd8421dbe5d184b7c27e46c5105ff63b9bc623685c51bc8f34757e9f3df8d856c95f

source "$(dirname "${BASH_SOURCE[0]}")/digest.sh"

use_node() {
  local root tools dir arch package tmp sha512
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
    sha512="NODE_SHA512_$arch"
    tmp=$(mktemp -d)
    if ! (cd "$tmp" && npm pack --silent "$package" >/dev/null); then
      rm -rf "$tmp"
      printf 'node: no Node.js >= %s on PATH and npm could not fetch %s\n' "$NODE_MIN_MAJOR" "$package" >&2
      return 1
    fi
    if ! check_digest sha512 "$(echo "$tmp"/*.tgz)" "${!sha512}" "node: $package from the npm registry" ||
      ! (cd "$tmp" && tar xzf ./*.tgz) || [ ! -x "$tmp/package/bin/node" ]; then
      rm -rf "$tmp"
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
