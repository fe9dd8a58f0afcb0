#!/usr/bin/env bash
# Installs the system packages the test suites and local tooling need, on
# Debian/Ubuntu. Idempotent: installs only what is missing. Needs root (or sudo).
set -euo pipefail

packages=(
  redis-server        # cache tests
  postgresql          # initdb/pg_ctl for integration tests (skipped when present)
  chromium            # browser tests
  nodejs              # Lighthouse and axe-core (browser tests install them with npm)
  npm
  wrk                 # benchmarks
  graphviz            # architecture diagrams
  docker.io           # container tests
  docker-registry     # local registry for push round-trips
  skopeo              # registry-to-registry copy by digest (opsctl promote)
  debootstrap         # local base images (no Docker Hub here)
  git
  ca-certificates
)

have() { command -v "$1" >/dev/null 2>&1; }
missing=()
for pkg in "${packages[@]}"; do
  case "$pkg" in
    postgresql) have initdb || have /usr/lib/postgresql/15/bin/initdb || missing+=("$pkg") ;;
    docker.io) have dockerd || missing+=("$pkg") ;;
    docker-registry) have docker-registry || missing+=("$pkg") ;;
    redis-server) have redis-server || missing+=("$pkg") ;;
    graphviz) have dot || missing+=("$pkg") ;;
    nodejs) have node || missing+=("$pkg") ;;
    *) have "$pkg" || missing+=("$pkg") ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "bootstrap: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# The registry package starts its own service on install; we start ours on demand.
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
