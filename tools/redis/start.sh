#!/usr/bin/env bash
# Starts redis-server (Debian's package: apt-get install redis-server) on 127.0.0.1 only and prints the
# StackExchange.Redis connection string once it answers PING. Usage: tools/redis/start.sh DATA_DIR [PORT]
# The port defaults to a free one. No config file is read (/etc/redis/redis.conf is not used): the server listens on
# loopback only, so protected mode (on, as by default) never refuses a local client, and no password is set. Grain
# state survives a restart of this server: the append-only file is on (fsync every second) and RDB snapshots are
# written as by default, both under DATA_DIR. The server daemonises; its process id goes to DATA_DIR/redis.pid and its
# log to DATA_DIR/redis.log. Stop it with: kill "$(cat DATA_DIR/redis.pid)" (or redis-cli -p PORT shutdown).
set -euo pipefail
dir="${1:?usage: start.sh DATA_DIR [PORT]}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
port="${2:-$(free_port)}"
if ! command -v redis-server >/dev/null 2>&1; then echo "redis-server is not installed: apt-get install redis-server (as .ci/run does)." >&2; exit 2; fi
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
rm -f "$dir/redis.pid"
redis-server --bind 127.0.0.1 --port "$port" --protected-mode yes --dir "$dir" \
  --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
  --appendonly yes --appendfsync everysec --dbfilename dump.rdb
ping() {
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ]
  else
    exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'PING\r\n' >&3 && IFS= read -r -t 1 reply <&3 && [ "${reply%$'\r'}" = +PONG ]
  fi
}
for _ in $(seq 1 100); do
  if [ -s "$dir/redis.pid" ] && (ping) 2>/dev/null; then
    echo "127.0.0.1:$port"
    exit 0
  fi
  sleep 0.1
done
echo "Redis did not answer PING on 127.0.0.1:$port within 10 s; see $dir/redis.log" >&2
if [ -s "$dir/redis.pid" ]; then kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; fi
exit 1
