#!/usr/bin/env bash
# Append-to-ack latency per store: starts a dynalite on a free port (npm ci first), runs the
# benchmark against SQLite and DynamoDB (dynalite) at the store port, then starts ChatDemo
# (Release) once on each store and measures the same over a WebSocket; stops what it started.
# Args go to the benchmark (e.g. --count 5000).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x node_modules/.bin/dynalite ] || npm ci --no-audit --no-fund --loglevel=error
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=()
data=$(mktemp -d)
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$data"' EXIT

port=$(free_port)
node_modules/.bin/dynalite --host 127.0.0.1 --port "$port" --createTableMs 0 >/dev/null 2>&1 &
pids+=($!)
dynamodb="http://127.0.0.1:$port"

dotnet build -c Release -v q --nologo ChatDemo.Web >/dev/null
dotnet build -c Release -v q --nologo bench/StoreLatency >/dev/null

# ChatDemo as users run it, the per-connection send limit lifted (the bench sends back to back).
start_chatdemo() { # name, then extra settings as NAME=VALUE
  local name=$1; shift
  local web_port; web_port=$(free_port)
  env ASPNETCORE_URLS="http://127.0.0.1:$web_port" ASPNETCORE_ENVIRONMENT=Production \
    Chat__Sqlite__Path="$data/$name.db" Chat__Sessions__SigningKey=bench-only-signing-key-0123456789abcdef \
    Chat__Limits__SendBurst=100000 Chat__Limits__SendPerSecond=100000 "$@" \
    dotnet ChatDemo.Web/bin/Release/net10.0/ChatDemo.Web.dll >"$data/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$web_port/health" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fs "http://127.0.0.1:$web_port/health" >/dev/null || { cat "$data/$name.log"; exit 1; }
  sockets+=("$name=http://127.0.0.1:$web_port")
}
sockets=()
start_chatdemo SQLite
start_chatdemo DynamoDB Chat__Store=DynamoDb Chat__DynamoDb__ServiceUrl="$dynamodb" Chat__DynamoDb__CreateTables=true \
  Chat__DynamoDb__MessagesTable=BenchSocketMessages Chat__DynamoDb__ConnectionsTable=BenchSocketConnections

dotnet bench/StoreLatency/bin/Release/net10.0/StoreLatency.dll --dynamodb-url "$dynamodb" \
  --sockets "$(IFS=,; echo "${sockets[*]}")" "$@"
