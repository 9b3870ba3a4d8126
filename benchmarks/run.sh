#!/usr/bin/env bash
# Runs Protevus's benchmarks side by side on this machine, each against its anchor in the same run,
# and keeps every raw result under benchmarks/target/results/<UTC time>/ (JMH JSON and text, the web
# benchmark's table, the exact commands in commands.txt).
#
#   benchmarks/run.sh [--quick] [--only web,cache,memcached,data,queue]
#
# Servers: Redis from PROTEVUS_REDIS_URL (redis://host:port), else 127.0.0.1:6379; PostgreSQL from
# PROTEVUS_R2DBC_URL (r2dbc:postgresql://user@host:port/database), else postgres@127.0.0.1:5432/test;
# memcached is started here on a free port when the memcached binary is installed. A family whose
# server does not answer is skipped with a note. Run it on a quiet machine: it measures throughput.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
only="web,cache,memcached,data,queue"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true ;;
    --only) only="$2"; shift ;;
    *) echo "usage: benchmarks/run.sh [--quick] [--only web,cache,memcached,data,queue]" >&2; exit 2 ;;
  esac
  shift
done
wants() { [[ ",$only," == *",$1,"* ]]; }

out="benchmarks/target/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
log() { echo "run.sh: $*" | tee -a "$out/summary.txt"; }
run() { echo "$*" >> "$out/commands.txt"; "$@"; }

redis_url="${PROTEVUS_REDIS_URL:-redis://127.0.0.1:6379}"
redis_hostport="${redis_url#redis://}"; redis_hostport="${redis_hostport##*@}"; redis_hostport="${redis_hostport%%/*}"
redis_host="${redis_hostport%%:*}"; redis_port="${redis_hostport##*:}"
r2dbc_url="${PROTEVUS_R2DBC_URL:-r2dbc:postgresql://postgres@127.0.0.1:5432/test}"
pg_rest="${r2dbc_url#*://}"; pg_user="postgres"
if [[ "$pg_rest" == *@* ]]; then pg_user="${pg_rest%%@*}"; pg_user="${pg_user%%:*}"; pg_rest="${pg_rest#*@}"; fi
pg_hostport="${pg_rest%%/*}"; pg_database="${pg_rest#*/}"
pg_host="${pg_hostport%%:*}"; pg_port="${pg_hostport##*:}"; [ "$pg_port" = "$pg_hostport" ] && pg_port=5432
answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

if $quick; then
  jmh=(-f 1 -wi 1 -w 1s -i 2 -r 1s); web=(--warmup 15 --seconds 3 --rounds 3)
else
  jmh=(-f 1 -wi 3 -w 3s -i 5 -r 3s); web=(--warmup 60 --seconds 8 --rounds 5)
fi

log "$(date -u +%FT%TZ) on $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
log "building: ./mvnw -q -pl benchmarks -am package -DskipTests"
./mvnw -q -pl benchmarks -am package -DskipTests
jar=benchmarks/target/benchmarks.jar

if wants web; then
  log "web: starter vs a Boot app with the same Spring starters (and vs webflux + actuator only)"
  run java -cp "$jar" dev.protevus.benchmarks.web.WebThroughput --apps bare,spring-starters,starter,starter-off \
    --baseline spring-starters "${web[@]}" | tee "$out/web.txt"
fi

if wants cache; then
  if answers "$redis_host" "$redis_port"; then
    log "cache: memory tier vs CaffeineCacheManager, Redis tier vs raw Lettuce, hot key vs RedisCacheManager"
    run java -Dredis.host="$redis_host" -Dredis.port="$redis_port" -jar "$jar" \
      'cache.(MemoryTier|RedisTier|HotKey)Benchmark' "${jmh[@]}" -rf json -rff "$out/cache.json" | tee "$out/cache.txt"
  else
    log "cache: skipped, no Redis at $redis_host:$redis_port"
  fi
fi

if wants memcached; then
  if command -v memcached >/dev/null 2>&1; then
    mc_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    memcached -l 127.0.0.1 -p "$mc_port" -U 0 -u "$(whoami)" -m 256 &
    mc_pid=$!
    trap 'kill $mc_pid 2>/dev/null || true' EXIT
    for _ in $(seq 50); do answers 127.0.0.1 "$mc_port" && break; sleep 0.1; done
    log "memcached: memcached tier vs folsom's raw get (memcached $(memcached -V | cut -d' ' -f2) on port $mc_port)"
    run java -Dmemcached.port="$mc_port" -jar "$jar" 'cache.MemcachedTierBenchmark' "${jmh[@]}" \
      -rf json -rff "$out/memcached.json" | tee "$out/memcached.txt"
  else
    log "memcached: skipped, no memcached binary (apt-get install -y memcached)"
  fi
fi

if wants data; then
  if answers "$pg_host" "$pg_port"; then
    pg=(-Dpg.host="$pg_host" -Dpg.port="$pg_port" -Dpg.database="$pg_database" -Dpg.user="$pg_user")
    log "data: eager and lazy loads over round trips of 0, 0.5 and 1 ms; pooled vs unpooled"
    run java "${pg[@]}" -jar "$jar" 'data.(EagerLoad|LazyLoad)Benchmark' "${jmh[@]}" -rf json \
      -rff "$out/data-loads.json" | tee "$out/data-loads.txt"
    if $quick; then pool=("${jmh[@]}"); else pool=(-f 1 -wi 10 -w 2s -i 5 -r 2s); fi
    run java "${pg[@]}" -jar "$jar" 'data.PoolBenchmark' "${pool[@]}" -rf json -rff "$out/data-pool.json" \
      | tee "$out/data-pool.txt"
  else
    log "data: skipped, no PostgreSQL at $pg_host:$pg_port"
  fi
fi

if wants queue; then
  if answers "$redis_host" "$redis_port"; then
    log "queue: publish, consume, ack vs a raw Lettuce XADD/XREADGROUP/XACK loop"
    if $quick; then queue=(3 2); else queue=(30 10 16 64 256 3); fi
    run java -Dredis.host="$redis_host" -Dredis.port="$redis_port" -cp "$jar" \
      dev.protevus.benchmarks.queue.QueueThroughput "${queue[@]}" | tee "$out/queue.txt"
    if command -v redis-benchmark >/dev/null 2>&1; then
      run redis-benchmark -q -h "$redis_host" -p "$redis_port" -c 16 -n 200000 XADD bench:queue:ceiling \
        MAXLEN '~' 1000000 '*' payload "$(head -c 295 /dev/zero | tr '\0' x)" | tr '\r' '\n' | tail -1 \
        | tee "$out/queue-ceiling.txt"
      redis-cli -h "$redis_host" -p "$redis_port" DEL bench:queue:ceiling >/dev/null 2>&1 || true
    else
      log "queue: no redis-benchmark for the XADD ceiling (apt-get install -y redis-tools)"
    fi
  else
    log "queue: skipped, no Redis at $redis_host:$redis_port"
  fi
fi

log "$(date -u +%FT%TZ) done, load $(cut -d' ' -f1-3 /proc/loadavg); results in $out"
