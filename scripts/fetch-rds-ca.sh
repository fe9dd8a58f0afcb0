#!/usr/bin/env bash
# Fetch AWS's RDS CA bundle into docker/rds-ca/ and accept it only with the pinned sha256.
set -euo pipefail
cd "$(dirname "$0")/.."
url="https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem"
pin_file="docker/rds-ca/global-bundle.pem.sha256"
out="docker/rds-ca/global-bundle.pem"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
curl --fail --silent --show-error --location --proto '=https' --tlsv1.2 -o "$tmp" "$url"
got="$(sha256sum "$tmp" | cut -d' ' -f1)"
want="$(tr -d '[:space:]' <"$pin_file" 2>/dev/null || true)"
if [ "$got" != "$want" ]; then
  echo "error: $url has sha256 $got, pinned: ${want:-none} ($pin_file)" >&2
  echo "hint: review the bundle (docker/rds-ca/README.md), then pin it: echo $got > $pin_file" >&2
  exit 1
fi
mv "$tmp" "$out"
trap - EXIT
echo "RDS CA bundle $got -> $out"
