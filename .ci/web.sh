#!/usr/bin/env bash
# .ci/web.sh — installs what the web-map and report tests need (Debian's
# chromium for headless rendering/printing, poppler-utils for pdftoppm) and
# runs them. Only Debian packages are downloaded: the web bundle is committed
# under api/web/dist, so npm is not needed here (`cd api/web && npm ci && npm
# run build` rebuilds it from package-lock.json).
# Screenshots, the annex PDF and its PNG pages go to $GISEMENT_ARTIFACTS
# (default: ./artifacts/web).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if ((${#need[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" fonts-liberation >/dev/null
fi
chromium --version
# `.ci/run` calls this with --install-only: the tests then run within its `go test ./...`.
if [ "${1:-}" = "--install-only" ]; then exit 0; fi

export GISEMENT_ARTIFACTS="${GISEMENT_ARTIFACTS:-$PWD/artifacts/web}"
mkdir -p "$GISEMENT_ARTIFACTS"
status=0
go test -count=1 -v ./api/web/ ./api/report/ >"$GISEMENT_ARTIFACTS/go-test.log" 2>&1 || status=$?
grep -E '^(--- |PASS|FAIL|ok)|(screenshot|PDF|page|rendered|annex)' "$GISEMENT_ARTIFACTS/go-test.log" || true
if [ "$status" -ne 0 ]; then tail -50 "$GISEMENT_ARTIFACTS/go-test.log"; fi
echo "artifacts: $GISEMENT_ARTIFACTS"
exit "$status"
