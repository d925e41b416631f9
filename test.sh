#!/usr/bin/env bash
# The test command of the README. Installs what the suite needs on a fresh machine (the Node
# tools in package.json, Debian's Chromium), runs every test project, and ends with one line:
# "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x node_modules/.bin/dynalite ] || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "== installing Node test tools (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Chromium for the browser tests (apt-get install chromium)"
  if [ "$(id -u)" -eq 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "!! could not install chromium: browser tests will fail with a clear message"
  else
    echo "!! chromium is missing and this is not root: run 'sudo apt-get install -y chromium'"
  fi
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
# Soak tests (docs/reliability.md) run only when asked: ./test.sh --filter Category=Soak
filter=(--filter "Category!=Soak")
case " $* " in *" --filter "*) filter=() ;; esac
dotnet test ChatDemo.sln --nologo \
  --logger "trx" --results-directory "$results" \
  --blame-hang-timeout 10m "${filter[@]}" "$@" || status=$?

# The Kestrel-mode integration suite, the bad-input corpus and the chaos run again, on the
# DynamoDB store (dynalite): the two stores must be indistinguishable to a client. Its own trx
# files (prefixed) are counted below too.
echo "== Kestrel-mode suite, bad input and chaos on DynamoDB (dynalite)"
on_dynamodb="FullyQualifiedName~ChatDemo.Web.Tests.Kestrel"
on_dynamodb+="|FullyQualifiedName~ChatDemo.Web.Tests.Reliability.BadInputTests"
on_dynamodb+="|FullyQualifiedName~ChatDemo.Web.Tests.Reliability.MetacharacterRoundTripTests"
on_dynamodb+="|FullyQualifiedName~ChatDemo.Web.Tests.Reliability.ChaosTests"
CHATDEMO_TEST_STORE=DynamoDb dotnet test ChatDemo.Web.Tests --nologo \
  --logger "trx;LogFilePrefix=dynamodb" --results-directory "$results" \
  --blame-hang-timeout 10m --filter "($on_dynamodb)&Category!=Soak" || status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); a=$(get aborted)
  passed=$((passed + p)); failed=$((failed + f + e + t + a)); skipped=$((skipped + total - executed))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # a build or run failure counts
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
