#!/usr/bin/env bash
# Runs Verger's load benchmarks against fresh copies of the built distribution, on loopback, and prints a table.
#
#   tools/simulator/bench.sh [derby|postgresql|both]        (default: derby)
#
# Needs: the distribution built (mvn -B -q install -DskipTests -pl distribution -am) and this module
# (mvn -B -q install -f tools/simulator/pom.xml). For PostgreSQL: a server on 127.0.0.1:5432 that user postgres
# reaches with psql (password, if any, in PGPASSWORD); each run gets a fresh database, dropped afterwards.
#
# Environment: DEVICES (default "1000 10000"), CONNECTIONS (default "4 16 64"), DURATION seconds per idle run
# (default 15), WARMUP (default 5; seconds before each run), WARM (default 60; seconds of unrecorded load, plus
# WARM_DRAINS unrecorded drain runs, default 3, before the first run on each server: JIT warm-up; each drain run also
# makes 4 unrecorded drains of up to 1,000 devices in its own JVM first, --warmup-drains), DRAINS (default 3: recorded drains per server; one drain is
# short and its time spreads by ±15 % between runs), ENROLL_COUNT (default 1000), SCEP (default 1: also the whole SCEP enrollment path,
# after a stand-in push certificate is uploaded; 0 skips it), SCEP_WARMUP (default 1000: unrecorded SCEP enrollments first; the JIT compiler still works for thousands more, reported apart as srvJITus/req), PORT (default 18443), WORK (default a new /tmp dir).
# The server's APNs client is pointed at a closed loopback port: no push leaves the box.
set -euo pipefail

BACKENDS=${1:-derby}
[ "$BACKENDS" = both ] && BACKENDS="derby postgresql"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIST=$ROOT/distribution/target/verger
DEVICES=${DEVICES:-"1000 10000"}
CONNECTIONS=${CONNECTIONS:-"4 16 64"}
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-5}
WARM=${WARM:-60}
WARM_DRAINS=${WARM_DRAINS:-3}
DRAINS=${DRAINS:-3}
ENROLL_COUNT=${ENROLL_COUNT:-1000}
SCEP=${SCEP:-1}
SCEP_WARMUP=${SCEP_WARMUP:-1000}
PORT=${PORT:-18443}
WORK=${WORK:-$(mktemp -d /tmp/verger-bench.XXXXXX)}
API_KEY=bench-admin-key-$(date +%s)-0123456789
URL=https://127.0.0.1:$PORT

[ -x "$DIST/bin/verger" ] || { echo "no distribution at $DIST: build it first" >&2; exit 1; }
mkdir -p "$WORK"
# private copies: other builds may rewrite target/ while this runs
cp "$ROOT/tools/simulator/target/verger-simulator.jar" "$WORK/simulator.jar"
SIM=(java -XX:+UseParallelGC -jar "$WORK/simulator.jar")
[ -f "$WORK/ca/device-ca.crt" ] || "${SIM[@]}" ca --out "$WORK/ca" >/dev/null
RESULTS=$WORK/results.tsv
[ -f "$RESULTS" ] || echo -e "backend\tdevices\tbench\tconns\tunits/s\tp50ms\tp90ms\tp99ms\tmaxms\tsrvCPUus/req\tdrvCPUus/req\trssMB\terrors\tseconds\tsrvJITus/req\tload" > "$RESULTS"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GB; work dir $WORK"

home=""
stop_server() {
    if [ -n "$home" ] && [ -x "$home/bin/verger" ]; then
        "$home/bin/verger" stop >/dev/null 2>&1 || true
    fi
}
trap stop_server EXIT

record() { # backend devices < simulator output
    local line
    while IFS= read -r line; do
        echo "$line"
        if [[ $line == RESULT* ]]; then
            echo -e "$1\t$2\t${line#RESULT	}\t$(cut -d' ' -f1 /proc/loadavg)" >> "$RESULTS"
        fi
    done
}

for backend in $BACKENDS; do
    for n in $DEVICES; do
        home=$WORK/$backend-$n/verger
        rm -rf "$WORK/$backend-$n" && mkdir -p "$WORK/$backend-$n"
        cp -r "$DIST" "$home"
        rm -rf "$home/data" "$home/logs" "$home/deploy" && mkdir -p "$home/data" "$home/logs" "$home/deploy"
        printf 'host=127.0.0.1\nport=9\n' > "$home/deploy/io.verger.push.apns.cfg"  # discard port: pushes never leave loopback
        unset VERGER_DB_URL VERGER_DB_USER VERGER_DB_PASSWORD || true
        db=""
        if [ "$backend" = postgresql ]; then
            db=verger_bench_${n}_$$
            psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
            export VERGER_DB_URL=jdbc:postgresql://127.0.0.1:5432/$db VERGER_DB_USER=postgres VERGER_DB_PASSWORD=${PGPASSWORD:-}
        fi
        VERGER_HTTPS_PORT=$PORT VERGER_BIND=127.0.0.1 VERGER_API_KEY=$API_KEY VERGER_TRUSTED_CAS=$WORK/ca/device-ca.crt \
            "$home/bin/verger" start
        for _ in $(seq 1 120); do
            curl -sf --cacert "$home/data/tls/ca.crt" "$URL/health" 2>/dev/null | grep -q '"unsatisfied":0' && break
            sleep 1
        done
        COMMON=(--url "$URL" --ca "$home/data/tls/ca.crt" --verger-home "$home")
        # the same identities for every backend: enrolled once into $WORK/devices-$n.json, then re-enrolled on each fresh server
        "${SIM[@]}" enroll --url "$URL" --ca "$home/data/tls/ca.crt" --ca-dir "$WORK/ca" --state "$WORK/devices-$n.json" \
            -n "$n" --again --key-pool 200 -c 8 || echo "enroll: not every device enrolled (see above); benchmarking those that did"
        # a JIT-compiled server, as after minutes in production: load it, unrecorded, before the measured runs
        if [ "$WARM" -gt 0 ]; then
            echo "warming the server up: $WARM s of idle check-ins and $WARM_DRAINS drains (not recorded)"
            "${SIM[@]}" bench idle "${COMMON[@]}" --state "$WORK/devices-$n.json" -c 16 --duration "$WARM" --warmup 0 >/dev/null || true
            for _ in $(seq 1 "$WARM_DRAINS"); do
                "${SIM[@]}" bench drain "${COMMON[@]}" --state "$WORK/devices-$n.json" -c 16 --api-key "$API_KEY" >/dev/null || true
            done
        fi
        for c in $CONNECTIONS; do
            "${SIM[@]}" bench idle "${COMMON[@]}" --state "$WORK/devices-$n.json" -c "$c" --duration "$DURATION" --warmup "$WARMUP" \
                | record "$backend" "$n" || true
        done
        for _ in $(seq 1 "$DRAINS"); do
            "${SIM[@]}" bench drain "${COMMON[@]}" --state "$WORK/devices-$n.json" -c 16 --api-key "$API_KEY" | record "$backend" "$n" || true
        done
        if [ "$n" = "$(echo $DEVICES | awk '{print $1}')" ]; then
            # the enrollment code paths are not warmed by the idle and drain runs: one unrecorded round first
            [ "$WARM" -gt 0 ] && { "${SIM[@]}" bench enroll "${COMMON[@]}" --ca-dir "$WORK/ca" --key-pool 200 -n "$ENROLL_COUNT" -c 16 >/dev/null || true; }
            "${SIM[@]}" bench enroll "${COMMON[@]}" --ca-dir "$WORK/ca" --key-pool 200 -n "$ENROLL_COUNT" -c 16 | record "$backend" "$n" || true
            if [ "$SCEP" = 1 ]; then
                # the whole path (profile, SCEP, check-ins) needs a push certificate on the server: a self-signed stand-in
                "${SIM[@]}" pushcert --url "$URL" --ca "$home/data/tls/ca.crt" --api-key "$API_KEY" >/dev/null
                "${SIM[@]}" bench enroll "${COMMON[@]}" --mode scep --api-key "$API_KEY" --key-pool 200 -n "$ENROLL_COUNT" -c 16 --warmup-devices "$SCEP_WARMUP" \
                    | record "$backend" "$n" || true
            fi
        fi
        stop_server
        home=""
        if [ -n "$db" ]; then
            psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null || true
        fi
    done
done

echo
column -t -s $'\t' "$RESULTS"
echo "(results in $RESULTS)"
