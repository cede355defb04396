# Sourced by scripts/node.sh and scripts/tools.sh. What a registry serves is compared with a digest pinned in
# this repository before it is used: a download that changed since it was pinned is refused, not run.

digest_of() { # ALGORITHM FILE: the hex digest (sha256 or sha512)
  "${1}sum" "$2" | cut -d' ' -f1
}

check_digest() { # ALGORITHM FILE EXPECTED WHAT: one line on stderr and status 1 when FILE is not the one pinned
  local actual
  actual=$(digest_of "$1" "$2")
  [ "$actual" = "$3" ] && return 0
  printf '%s does not match its pinned %s (expected %s, got %s); not installed\n' "$4" "$1" "$3" "$actual" >&2
  return 1
}
