#!/usr/bin/env bash
# Starts Azurite (the Azure Storage emulator, pinned in package-lock.json) on loopback and prints its table endpoint's
# connection string once it answers. Usage: tools/azurite/start.sh DATA_DIR [TABLE_PORT] [BLOB_PORT] [QUEUE_PORT]
# Ports default to free ones. The process id goes to DATA_DIR/azurite.pid; stop it with: kill "$(cat DATA_DIR/azurite.pid)".
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:?usage: start.sh DATA_DIR [TABLE_PORT] [BLOB_PORT] [QUEUE_PORT]}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
table="${2:-$(free_port)}"; blob="${3:-$(free_port)}"; queue="${4:-$(free_port)}"
bin="$here/node_modules/.bin/azurite"
if [ ! -x "$bin" ]; then echo "Azurite is not installed: run 'npm ci' in $here first." >&2; exit 2; fi
mkdir -p "$dir"
"$bin" --silent --location "$dir" --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --blobPort "$blob" --queuePort "$queue" --tablePort "$table" --skipApiVersionCheck > "$dir/azurite.log" 2>&1 &
echo $! > "$dir/azurite.pid"
for _ in $(seq 1 300); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$table") 2>/dev/null; then
    echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
    exit 0
  fi
  sleep 0.1
done
echo "Azurite did not answer on 127.0.0.1:$table within 30 s; see $dir/azurite.log" >&2
kill "$(cat "$dir/azurite.pid")" 2>/dev/null || true
exit 1
