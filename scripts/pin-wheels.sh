#!/usr/bin/env bash
# Usage: scripts/pin-wheels.sh 'PACKAGE[EXTRAS]==VERSION' >scripts/digests/NAME.txt
# Writes a pip requirements file for `pip install --require-hashes --only-binary=:all:`: the package and
# every dependency at the version pip resolves, each with the sha256 of its wheels for CPython 3.11 to 3.14
# on Linux x86_64 and aarch64, as PyPI serves them. Run it again to move a pinned tool to a new version.
set -euo pipefail
requirement=${1:?usage: pin-wheels.sh PACKAGE==VERSION}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for python in 3.11 3.12 3.13 3.14; do
  for arch in x86_64 aarch64; do
    python3 -m pip download --quiet --no-cache-dir --only-binary=:all: --implementation cp --python-version "$python" \
      --platform "manylinux2014_$arch" --platform "manylinux_2_17_$arch" --platform "manylinux_2_28_$arch" \
      --platform "manylinux_2_34_$arch" -d "$work/$python-$arch" "$requirement" >&2
  done
done
printf '# %s: pip install --require-hashes --only-binary=:all: (written by scripts/pin-wheels.sh)\n' "$requirement"
python3 - "$work" <<'PY'
import hashlib, os, re, sys
# (project, version) -> wheel digests, and the Python versions that resolve to it
wheels, pythons = {}, {}
for folder in sorted(os.listdir(sys.argv[1])):
    python = folder.split("-")[0]
    for name in os.listdir(os.path.join(sys.argv[1], folder)):
        project, version = name.split("-")[:2]
        with open(os.path.join(sys.argv[1], folder, name), "rb") as wheel:
            digest = hashlib.sha256(wheel.read()).hexdigest()
        key = (re.sub(r"[-_.]+", "-", project).lower(), version)
        wheels.setdefault(key, set()).add(digest)
        pythons.setdefault(key, set()).add(python)
versions = {}
for project, version in wheels:
    versions.setdefault(project, set()).add(version)
for (project, version), digests in sorted(wheels.items()):
    hashes = " ".join(f"--hash=sha256:{digest}" for digest in sorted(digests))
    # A dependency that resolves to other versions on other Pythons gets a line per version, with a marker.
    marker = ""
    if len(versions[project]) > 1:
        marker = " ; " + " or ".join(f'python_version == "{p}"' for p in sorted(pythons[(project, version)]))
    print(f"{project}=={version}{marker} {hashes}")
PY
