#!/usr/bin/env bash
# Append-to-ack latency per store: starts a dynalite on a free port (npm ci first), runs the
# benchmark against SQLite and DynamoDB(dynalite), stops dynalite. Args go to the benchmark
# (e.g. --count 5000).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x node_modules/.bin/dynalite ] || npm ci --no-audit --no-fund --loglevel=error
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
node_modules/.bin/dynalite --host 127.0.0.1 --port "$port" --createTableMs 0 >/dev/null 2>&1 &
dynalite=$!
trap 'kill $dynalite' EXIT
dotnet run -c Release --project bench/StoreLatency -- --dynamodb-url "http://127.0.0.1:$port" "$@"
