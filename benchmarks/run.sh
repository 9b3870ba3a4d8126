#!/usr/bin/env bash
# Runs every Protevus benchmark side by side with its anchor on this machine and generates
# docs/performance.md and its charts (docs/performance/*.png) from the results: no figure in it is
# typed by hand. Every raw result, the exact commands (commands.tsv), what was skipped and why
# (notes.tsv) and the generated report are kept under benchmarks/target/results/<UTC time>/.
#
#   benchmarks/run.sh [--quick] [--only web,cache,memcached,data,queue,loadbalancer,memory] [--no-docs]
#
# Servers: Redis from PROTEVUS_REDIS_URL (redis://host:port) and PostgreSQL from PROTEVUS_R2DBC_URL
# (r2dbc:postgresql://user[:password]@host:port/database) when they are set; otherwise embedded ones
# from protevus-spring-boot-test, started here for the run and stopped after it (BenchmarkServers).
# memcached is started here on a free port when the binary is installed. redis-benchmark
# (redis-tools), pgbench (postgresql-contrib) and gnuplot (gnuplot-nox) give the ceilings and the
# charts when installed; without them those rows and charts say why they are missing. The full run
# took 43 minutes on 2 cores (2026-12-05), the build not included: every JVM warms for 60 s or more
# before it is measured, and the JMH families share two JVMs (FamilyRun). --quick only checks that everything
# works, in about 5 minutes (its web servers are not even pinned to a core): its figures are not
# measurements. --no-docs leaves docs/ alone and
# writes the report only under the results directory. Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
docs=true
only="web,cache,memcached,data,queue,loadbalancer,memory"
invocation="benchmarks/run.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true ;;
    --only) only="$2"; shift ;;
    --no-docs) docs=false ;;
    *) echo "usage: benchmarks/run.sh [--quick] [--only web,cache,memcached,data,queue,loadbalancer,memory] [--no-docs]" >&2
       exit 2 ;;
  esac
  shift
done
wants() { [[ ",$only," == *",$1,"* ]]; }

started=$(date +%s)
out="benchmarks/target/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
: > "$out/commands.tsv"; : > "$out/notes.tsv"; : > "$out/run.properties"
log() { echo "run.sh: $(date -u +%T) $*" | tee -a "$out/summary.txt"; }
# run TAG COMMAND...: runs a command and records it, under its tag, for the report.
run() { local tag="$1"; shift; printf '%s\t%s\n' "$tag" "$(quote "$@")" >> "$out/commands.tsv"; log "$tag" >&2; "$@"; }
# quote ARGS...: the arguments as a shell would need them typed.
quote() {
  local arg words=()
  for arg in "$@"; do
    if [[ "$arg" =~ ^[A-Za-z0-9_./:=,@%+-]+$ ]]; then words+=("$arg"); else words+=("'${arg//\'/\'\\\'\'}'"); fi
  done
  echo "${words[*]}"
}
# also TAG...: records the last command run under further tags, for rows that one command measured.
also() {
  local last tag
  last=$(tail -1 "$out/commands.tsv" | cut -f2-)
  for tag in "$@"; do printf '%s\t%s\n' "$tag" "$last" >> "$out/commands.tsv"; done
}
# note TAG WHY: records why a row's results are missing.
note() { printf '%s\t%s\n' "$1" "$2" >> "$out/notes.tsv"; log "$1: $2"; }
prop() { printf '%s=%s\n' "$1" "$2" >> "$out/run.properties"; }
answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
has() { command -v "$1" >/dev/null 2>&1; }

if $quick; then
  jmh=(-wi 1 -w 500ms -i 3 -r 300ms)
  family=(--warmup 1 --slice 1)
  web=(--warmup 3 --seconds 1 --rounds 3 --server-cpus any)
  queue=(2 1 16 64 256 3); lb=(400 2 3); sample=(5 2 3); paired=(2 5)
  redis_requests=20000; xadd_requests=50000; pgbench_seconds=2
else
  # Every JVM warms for at least 60 s before it is measured: a FamilyRun JVM (one for the cache
  # families, one for the database's) runs all its benchmarks in turn, 5 s each, for 60 s, then
  # measures each after one more 2 s warm-up iteration in 5 iterations of 2 s; the long-lived
  # JVMs (paired hits, queue, sample app) warm for 60 s, the web servers for 120 s (on 2026-12-04
  # a server here reached full speed only after 60 to 120 s of load). The web servers are measured
  # in 7 short rounds, each loading them one right after the other, so that the rows can take the
  # median of the rounds' own ratios; each web app runs in two JVMs (--forks 2), as two JVMs of
  # one app can differ by as much as the starter's cost.
  jmh=(-wi 1 -w 2s -i 5 -r 2s)
  family=(--warmup 60 --slice 5)
  web=(--warmup 120 --seconds 3 --rounds 7 --forks 2)
  queue=(15 10 16 64 256 3); lb=(400 15 3); sample=(60 10 3); paired=(60 30)
  redis_requests=200000; xadd_requests=200000; pgbench_seconds=10
fi

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

prop command "$invocation"
prop quick "$quick"
prop start "$(date -u '+%Y-%m-%d %H:%M')"
prop cpus "$(nproc)"
prop machine "$(uname -m), Linux $(uname -r)"
prop java "$(java -version 2>&1 | head -1)"
prop load-start "$(cut -d' ' -f1-3 /proc/loadavg)"
prop commit "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo ' with local changes')"
prop results "$out"
log "$(date -u +%FT%TZ) on $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"

modules=benchmarks
wants memory && modules=benchmarks,sample-app
log "building: ./mvnw -q -pl $modules -am package -DskipTests"
./mvnw -q -pl "$modules" -am package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
jar=benchmarks/target/benchmarks.jar

# Servers: the machine's when named, else embedded ones for the length of the run.
embedded=()
if (wants cache || wants queue) && [ -z "${PROTEVUS_REDIS_URL:-}" ]; then embedded+=(redis); fi
if wants data && [ -z "${PROTEVUS_R2DBC_URL:-}" ]; then embedded+=(postgres); fi
redis_source="the machine's, PROTEVUS_REDIS_URL"; pg_source="the machine's, PROTEVUS_R2DBC_URL"
if [ ${#embedded[@]} -gt 0 ]; then
  log "starting embedded ${embedded[*]} (protevus-spring-boot-test)"
  env -u PROTEVUS_TEST_REDIS_URL -u PROTEVUS_TEST_R2DBC_URL \
    java -cp "$jar" dev.protevus.benchmarks.servers.BenchmarkServers "${embedded[@]}" \
    > "$out/servers.env" 2> "$out/servers.log" &
  pids+=($!)
  for _ in $(seq 240); do grep -q '^ready$' "$out/servers.env" && break; sleep 0.5; done
  grep -q '^ready$' "$out/servers.env" || { log "embedded servers did not start; see $out/servers.log"; exit 1; }
  while IFS='=' read -r name value; do
    case "$name" in
      PROTEVUS_REDIS_URL) PROTEVUS_REDIS_URL="$value"; redis_source="embedded (protevus-spring-boot-test)" ;;
      PROTEVUS_R2DBC_URL) PROTEVUS_R2DBC_URL="$value"; pg_source="embedded (protevus-spring-boot-test)" ;;
    esac
  done < "$out/servers.env"
fi

redis_url="${PROTEVUS_REDIS_URL:-redis://127.0.0.1:6379}"
redis_hostport="${redis_url#redis://}"; redis_hostport="${redis_hostport##*@}"; redis_hostport="${redis_hostport%%/*}"
redis_host="${redis_hostport%%:*}"; redis_port="${redis_hostport##*:}"
r2dbc_url="${PROTEVUS_R2DBC_URL:-r2dbc:postgresql://postgres@127.0.0.1:5432/test}"
pg_rest="${r2dbc_url#*://}"; pg_user="postgres"; pg_password=""
if [[ "$pg_rest" == *@* ]]; then
  pg_userinfo="${pg_rest%%@*}"; pg_user="${pg_userinfo%%:*}"
  [[ "$pg_userinfo" == *:* ]] && pg_password="${pg_userinfo#*:}"
  pg_rest="${pg_rest#*@}"
fi
pg_hostport="${pg_rest%%/*}"; pg_database="${pg_rest#*/}"; pg_database="${pg_database%%\?*}"
pg_host="${pg_hostport%%:*}"; pg_port="${pg_hostport##*:}"; [ "$pg_port" = "$pg_hostport" ] && pg_port=5432
redis_version=$( (exec 3<>"/dev/tcp/$redis_host/$redis_port" && printf 'INFO server\r\nQUIT\r\n' >&3 && cat <&3) 2>/dev/null \
  | tr -d '\r' | sed -n 's/^redis_version://p' || true)
prop redis "${redis_version:+$redis_version, }$redis_source at $redis_host:$redis_port"
prop postgres "$pg_source at $pg_host:$pg_port, database $pg_database"
if has memcached; then prop memcached "$(memcached -V | cut -d' ' -f2), started by run.sh"; else prop memcached "absent"; fi

if wants web; then
  apps=spring-starters,starter
  if answers "$redis_host" "$redis_port"; then
    apps="$apps,hotkey-tiered,hotkey-redis,hotkey-simple"
    log "web: the starter app vs a Boot app with the same Spring starters; a hot key through @Cacheable"
  else
    log "web: the starter app vs a Boot app with the same Spring starters (no Redis for the hot-key apps)"
  fi
  if ! run web java -Dredis.url="redis://$redis_host:$redis_port" -cp "$jar" \
    dev.protevus.benchmarks.web.WebThroughput --apps "$apps" --baseline spring-starters "${web[@]}" \
    | tee "$out/web.txt"; then
    note web "failed, see $out/web.txt"
  fi
else
  note web "not run (--only $only)"
fi

# The cache and memcached JMH families share one JVM, warmed once over both, and their paired
# hits another; memcached is started here on a free port when the binary is installed.
redis_up=false; mc_up=false
if wants cache; then
  if answers "$redis_host" "$redis_port"; then redis_up=true; else note cache "no Redis at $redis_host:$redis_port"; fi
else
  note cache "not run (--only $only)"
fi
if wants memcached; then
  if has memcached; then
    mc_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    memcached -l 127.0.0.1 -p "$mc_port" -U 0 -u "$(whoami)" -m 256 &
    pids+=($!)
    for _ in $(seq 50); do answers 127.0.0.1 "$mc_port" && break; sleep 0.1; done
    mc_up=true
  else
    note memcached "the memcached binary is not installed (apt-get install -y memcached)"
  fi
else
  note memcached "not run (--only $only)"
fi
families=(); tags=(); paired_families=(); paired_tags=()
if $redis_up; then
  families+=('cache\.(MemoryTier|RedisTier|HotKey)Benchmark\.(protevus|spring|lettuce)$' "${jmh[@]}" \
    -rf json -rff "$out/cache.json")
  tags+=(cache); paired_families+=(redis); paired_tags+=(cache-paired)
fi
if $mc_up; then
  [ ${#families[@]} -gt 0 ] && families+=(--and)
  families+=('cache\.MemcachedTierBenchmark\.(protevus|folsom)$' "${jmh[@]}" -rf json -rff "$out/memcached.json")
  tags+=(memcached); paired_families+=(memcached); paired_tags+=(memcached-paired)
fi
if [ ${#tags[@]} -gt 0 ]; then
  remote=(-Dredis.host="$redis_host" -Dredis.port="$redis_port" -Dmemcached.port="${mc_port:-11211}")
  log "cache: memory tier vs CaffeineCacheManager, Redis tier vs raw Lettuce, hot key vs RedisCacheManager," \
    "memcached tier vs folsom's raw get (${tags[*]})"
  if ! run "${tags[0]}" java "${remote[@]}" -cp "$jar" dev.protevus.benchmarks.jmh.FamilyRun "${family[@]}" \
    "${families[@]}" | tee "$out/cache.jmh.txt"; then
    for tag in "${tags[@]}"; do note "$tag" "failed, see $out/cache.jmh.txt"; done
  fi
  also "${tags[@]:1}"
  log "cache: remote-tier hits vs the raw clients in alternating slices (${paired_families[*]})"
  if ! run "${paired_tags[0]}" java "${remote[@]}" -cp "$jar" dev.protevus.benchmarks.cache.PairedTierHits \
    "$(IFS=,; echo "${paired_families[*]}")" "${paired[@]}" | tee "$out/cache-paired.txt"; then
    for tag in "${paired_tags[@]}"; do note "$tag" "failed, see $out/cache-paired.txt"; done
  fi
  also "${paired_tags[@]:1}"
fi
if $redis_up; then
  if has redis-benchmark; then
    for _ in 1 2 3; do
      run redis-ceiling redis-benchmark -q -h "$redis_host" -p "$redis_port" -t get -c 1 -n "$redis_requests" \
        | tr '\r' '\n' | grep 'requests per second' | tail -1 | tee -a "$out/redis-ceiling.txt"
    done
  else
    note redis-ceiling "redis-benchmark is not installed (apt-get install -y redis-tools)"
  fi
fi

if wants data; then
  if answers "$pg_host" "$pg_port"; then
    pg=(-Dpg.host="$pg_host" -Dpg.port="$pg_port" -Dpg.database="$pg_database" -Dpg.user="$pg_user")
    [ -n "$pg_password" ] && pg+=(-Dpg.password="$pg_password")
    log "data: eager loads over round trips of 0, 0.5 and 1 ms; lazy loads at 0.5 ms; pooled vs unpooled"
    if ! run data-loads java "${pg[@]}" -cp "$jar" dev.protevus.benchmarks.jmh.FamilyRun "${family[@]}" \
      'data\.EagerLoadBenchmark\.(protevus|join|nPlusOne)$' -p rttMicros=0,500,1000 "${jmh[@]}" \
      -rf json -rff "$out/data-loads.json" \
      --and 'data\.LazyLoadBenchmark' -p rttMicros=500 "${jmh[@]}" -rf json -rff "$out/data-lazy.json" \
      --and 'data\.PoolBenchmark' -p rttMicros=direct "${jmh[@]}" -rf json -rff "$out/data-pool.json" \
      | tee "$out/data.jmh.txt"; then
      for tag in data-loads data-lazy data-pool; do note "$tag" "failed, see $out/data.jmh.txt"; done
    fi
    also data-lazy data-pool
    if has pgbench; then
      pgb=(-h "$pg_host" -p "$pg_port" -U "$pg_user" "$pg_database")
      export PGPASSWORD="$pg_password"
      run pg-ceiling pgbench -i -s 1 -q "${pgb[@]}" > "$out/pg-ceiling-init.txt" 2>&1
      for _ in 1 2 3; do
        run pg-ceiling pgbench -S -n -c 1 -T "$pgbench_seconds" "${pgb[@]}" 2>&1 | grep -E '^(tps|latency)' \
          | tee -a "$out/pg-ceiling.txt"
      done
      run pg-ceiling pgbench -i -I d "${pgb[@]}" >> "$out/pg-ceiling-init.txt" 2>&1
    else
      note pg-ceiling "pgbench is not installed (apt-get install -y postgresql-contrib)"
    fi
  else
    note data-loads "no PostgreSQL at $pg_host:$pg_port"
    note data-lazy "no PostgreSQL at $pg_host:$pg_port"
    note data-pool "no PostgreSQL at $pg_host:$pg_port"
  fi
else
  for tag in data-loads data-lazy data-pool; do note "$tag" "not run (--only $only)"; done
fi

if wants queue; then
  if answers "$redis_host" "$redis_port"; then
    log "queue: publish, consume, ack vs a raw Lettuce XADD/XREADGROUP/XACK loop"
    if ! run queue java -Dredis.host="$redis_host" -Dredis.port="$redis_port" -cp "$jar" \
      dev.protevus.benchmarks.queue.QueueThroughput "${queue[@]}" | tee "$out/queue.txt"; then
      note queue "failed, see $out/queue.txt"
    fi
    if has redis-benchmark; then
      for _ in 1 2 3; do
        run queue-ceiling redis-benchmark -q -h "$redis_host" -p "$redis_port" -c 16 -n "$xadd_requests" \
          XADD bench:queue:ceiling MAXLEN '~' 1000000 '*' payload "$(head -c 295 /dev/zero | tr '\0' x)" \
          | tr '\r' '\n' | grep 'requests per second' | tail -1 | tee -a "$out/queue-ceiling.txt"
      done
      (exec 3<>"/dev/tcp/$redis_host/$redis_port" && printf 'DEL bench:queue:ceiling\r\nQUIT\r\n' >&3 && cat <&3 >/dev/null) \
        2>/dev/null || true
    else
      note queue-ceiling "redis-benchmark is not installed (apt-get install -y redis-tools)"
    fi
  else
    note queue "no Redis at $redis_host:$redis_port"
  fi
else
  note queue "not run (--only $only)"
fi

if wants loadbalancer; then
  log "loadbalancer: least-connections vs round-robin, open-loop p99 with one slow backend"
  if ! run loadbalancer java -cp "$jar" dev.protevus.benchmarks.loadbalancer.OpenLoopLatency "${lb[@]}" \
    | tee "$out/loadbalancer.txt"; then
    note loadbalancer "failed, see $out/loadbalancer.txt"
  fi
else
  note loadbalancer "not run (--only $only)"
fi

if wants memory; then
  log "memory: heap per memory-tier entry; the sample app's heap after warm-up and RSS under load"
  if ! run memory-entries java -cp "$jar" dev.protevus.benchmarks.memory.MemoryFootprint entries 100000 3 \
    | tee "$out/memory-entries.txt"; then
    note memory-entries "failed, see $out/memory-entries.txt"
  fi
  if has wrk && has jcmd; then
    if ! run memory-sample-app java -cp "$jar" dev.protevus.benchmarks.memory.MemoryFootprint sample-app \
      sample-app/target/protevus-sample-app.jar "${sample[@]}" | tee "$out/memory-sample-app.txt"; then
      note memory-sample-app "failed, see $out/memory-sample-app.txt"
    fi
  else
    note memory-sample-app "wrk or jcmd is missing (apt-get install -y wrk; a JDK's jcmd)"
  fi
else
  note memory-entries "not run (--only $only)"
  note memory-sample-app "not run (--only $only)"
fi

prop end "$(date -u '+%Y-%m-%d %H:%M')"
prop load-end "$(cut -d' ' -f1-3 /proc/loadavg)"
prop minutes "$(( ($(date +%s) - started + 30) / 60 ))"
cleanup
pids=()

mkdir -p "$out/report"
run report java -cp "$jar" dev.protevus.benchmarks.report.PerformanceReport "$out" "$out/report/performance.md"
has gnuplot || log "charts: skipped, gnuplot is not installed (apt-get install -y gnuplot-nox)"
if $docs; then
  cp "$out/report/performance.md" docs/performance.md
  if [ -d "$out/report/performance" ]; then
    mkdir -p docs/performance
    cp "$out/report/performance/"*.png docs/performance/ 2>/dev/null || true
  fi
  log "wrote docs/performance.md and docs/performance/*.png"
fi
log "$(date -u +%FT%TZ) done in $(( ($(date +%s) - started + 30) / 60 )) min, load $(cut -d' ' -f1-3 /proc/loadavg); results in $out"
