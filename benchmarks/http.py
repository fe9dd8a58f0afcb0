"""Requests/s and latency of GET /api/v1/wards/<id>/candidates and of the voter's page,
against a bare WSGI ceiling, on both configurations in one run.

For each configuration (SQLite without Redis, the embedded default; a throwaway
PostgreSQL with a throwaway Redis) kenya-2022 is loaded, and for each target the app
runs under gunicorn with its production config: every ward fetched once (which records
the responses), then a fresh server warmed until its requests/s settles, then, round
after round, `wrk` drives the app and benchmarks/bare_wsgi.py (the same responses
replayed by the same server with the same workers) over every ward on loopback. Prints
requests/s, p50 and p99 of each, the ratio app/bare, the CPU the servers spent per
request and the CPU wrk used, and a closing table against the targets.

    MYCANDIDATE_DATA_DIR=../shared/data .venv/bin/python benchmarks/http.py
    .venv/bin/python benchmarks/http.py --config sqlite --target page --rounds 1
"""

from __future__ import annotations

import sys

# This file shares its name with the standard library's `http` package: keep its own
# folder off the import path, or `import urllib.request` would find this file instead.
# The repository root takes its place, for the test servers in tests/support/.
if sys.path and sys.path[0].rstrip("/").endswith("benchmarks"):
    sys.path[0] = sys.path[0].rstrip("/").removesuffix("benchmarks").rstrip("/") or "."

import argparse
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATASET = "kenya-2022"
# Hop-by-hop or per-response headers the server adds itself; the rest are replayed.
_SERVER_HEADERS = {"date", "server", "connection", "transfer-encoding", "keep-alive"}

LUA = """
local paths = {%(paths)s}
local requests_ = {}
local i = 0
init = function(args)
  for n, path in ipairs(paths) do requests_[n] = wrk.format("GET", path) end
  i = math.random(#paths)
end
request = function()
  i = i %% #paths + 1
  return requests_[i]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%%.0f,"duration_us":%%.0f,"p50_us":%%.0f,"p99_us":%%.0f,' ..
    '"socket_errors":%%.0f,"status_errors":%%.0f}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


@dataclass(frozen=True)
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_us: float  # server CPU per request: steadier than req/s on a shared machine
    wrk_busy: float  # CPUs wrk kept busy: near `--threads`, the load generator is the limit


def server_cpu_seconds(master: int) -> float:
    """User+system CPU of a gunicorn master and its workers, from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        pid, ppid = int(stat.parent.name), int(fields[1])
        if master in (pid, ppid):
            total += int(fields[11]) + int(fields[12])
    return total / tick


def gunicorn(
    target: str, port: int, workers: int, env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    """The production server and config (as `opsctl serve` runs it), serving `target`."""
    from opsctl.services.serve import gunicorn_argv

    argv = [*gunicorn_argv("127.0.0.1", port, workers)[:-1], target]
    with log.open("ab") as sink:
        return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=sink)


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


@contextmanager
def serving(
    target: str, workers: int, env: dict[str, str], log: Path, probe: str
) -> Iterator[Server]:
    from tests.support.servers import free_port

    port = free_port()
    process = gunicorn(target, port, workers, env, log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{target} did not start; see {log}:\n{log.read_text()[-1500:]}")
            try:
                with urllib.request.urlopen(base + probe, timeout=2):
                    break
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        yield Server(base, process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def ward_codes(base: str) -> list[str]:
    codes: list[str] = []
    page = 1
    while True:
        with urllib.request.urlopen(f"{base}/api/v1/wards?per_page=100&page={page}") as r:
            body = json.load(r)
        codes += [item["code"] for item in body["items"]]
        if len(codes) >= body["total"] or not body["items"]:
            return codes
        page += 1


def record(base: str, paths: list[str]) -> dict[str, tuple[str, list[tuple[str, str]], str]]:
    """Fetch every path once: warms the app's cache and keeps what it answered."""
    responses = {}
    for path in paths:
        with urllib.request.urlopen(base + path) as r:
            headers = [(k, v) for k, v in r.getheaders() if k.lower() not in _SERVER_HEADERS]
            responses[path] = (f"{r.status} {r.reason}", headers, r.read().decode())
    return responses


def drive(server: Server, script: Path, args: argparse.Namespace, seconds: float) -> Result:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk not found: apt-get install wrk (or run scripts/bootstrap-system.sh)")
    argv = [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds:g}s"]
    argv += ["--timeout", "5s", "-s", str(script), server.url]
    cpu_before = server_cpu_seconds(server.pid)
    wrk_before = _children_cpu_seconds()
    out = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=seconds + 60)
    line = next(x for x in out.stdout.splitlines() if x.startswith("BENCH "))
    data = json.loads(line.removeprefix("BENCH "))
    cpu = server_cpu_seconds(server.pid) - cpu_before
    wrk_busy = (_children_cpu_seconds() - wrk_before) / (data["duration_us"] / 1e6)
    return Result(
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=int(data["socket_errors"] + data["status_errors"]),
        cpu_us=cpu / max(1, data["requests"]) * 1e6,
        wrk_busy=wrk_busy,
    )


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median(results: list[Result]) -> Result:
    return Result(
        statistics.median(r.rps for r in results),
        statistics.median(r.p50_ms for r in results),
        statistics.median(r.p99_ms for r in results),
        sum(r.errors for r in results),
        statistics.median(r.cpu_us for r in results),
        statistics.median(r.wrk_busy for r in results),
    )


def show(name: str, r: Result) -> str:
    return (
        f"{name:<6} {r.rps:>9,.0f} req/s   p50 {r.p50_ms:6.2f} ms   "
        f"p99 {r.p99_ms:6.2f} ms   server CPU {r.cpu_us:4.0f} us/req   "
        f"wrk {r.wrk_busy:.2f} CPU   errors {r.errors}"
    )


# The two configurations the app is meant to serve fast: the embedded default (SQLite,
# no Redis: answers kept in each worker) and PostgreSQL with Redis as the shared cache.
CONFIGS = ("sqlite", "postgresql+redis")


@contextmanager
def services(config: str, workdir: Path, data_dir: Path | None) -> Iterator[dict[str, str]]:
    """The configuration's database with the dataset loaded (and Redis): the app's env."""
    from mycandidate.db import make_engine
    from mycandidate.importer import load_named
    from mycandidate.migrate import upgrade
    from tests.support.servers import postgres, redis

    env = {
        **os.environ,
        "SECRET_KEY": "benchmark-only",  # checkov:skip=CKV_SECRET_6:loopback only
        "MYCANDIDATE_DATASET": DATASET,
    }
    env.pop("REDIS_URL", None)

    def load(url: str) -> None:
        engine = make_engine(url)
        upgrade(engine)
        load_named(engine, DATASET, data_dir=data_dir, cache_dir=workdir / "cache")
        engine.dispose()

    if config == "sqlite":
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        load(url)
        yield {**env, "DATABASE_URL": url}
        return
    os.chmod(workdir, 0o755)  # PostgreSQL runs as its own user when we are root
    with postgres(Path(tempfile.mkdtemp(prefix="pg-", dir=workdir))) as pg, redis() as cache:
        load(pg.url)
        yield {**env, "DATABASE_URL": pg.url, "REDIS_URL": cache.url}


# What a voter's client asks for, per ward: the API answer, or the server-rendered page.
PATHS = {"api": "/api/v1/wards/{code}/candidates", "page": "/?ballot=ward&area={code}"}


@dataclass(frozen=True)
class Measured:
    config: str
    target: str
    app: Result
    bare: Result


def warm(app: Server, script: Path, args: argparse.Namespace, paths: int) -> int:
    """Unmeasured load until each worker has most likely seen every path (about eight
    requests per path and worker) and requests/s has stopped climbing: each new worker
    fills its own memory, from Redis or, on the embedded default, by building it."""
    rates: list[float] = []
    served = 0.0
    while len(rates) < 30:
        rates.append(drive(app, script, args, args.warmup).rps)
        served += rates[-1] * args.warmup
        if served >= 8 * paths * args.workers and rates[-1] < rates[-2:][0] * 1.05:
            break
    return len(rates)


def measure(
    config: str, target: str, env: dict[str, str], workdir: Path, args: argparse.Namespace
) -> Measured:
    log = workdir / "gunicorn.log"
    with serving("mycandidate.wsgi:app", args.workers, env, log, "/readyz") as app:
        paths = [PATHS[target].format(code=c) for c in ward_codes(app.url)]
        responses = record(app.url, paths)
    script = workdir / f"{target}.lua"
    script.write_text(LUA % {"paths": ", ".join(json.dumps(p) for p in paths)})
    replay = workdir / f"{target}.json"
    replay.write_text(json.dumps(responses))
    bare_env = {**env, "BENCH_RESPONSES": str(replay)}
    size = statistics.mean(len(body.encode()) for _, _, body in responses.values())
    print(f"\n== {config}, {target}: {len(paths)} wards, mean body {size:,.0f} bytes")
    apps, bares = [], []
    with (
        serving("mycandidate.wsgi:app", args.workers, env, log, "/readyz") as app,
        serving("benchmarks.bare_wsgi:app", args.workers, bare_env, log, paths[0]) as bare,
    ):
        runs = warm(app, script, args, len(paths))
        drive(bare, script, args, args.warmup)
        print(f"warm-up  {runs} runs of {args.warmup:g}s until the app's requests/s settled")
        for n in range(1, args.rounds + 1):
            apps.append(drive(app, script, args, args.duration))
            bares.append(drive(bare, script, args, args.duration))
            print(f"round {n}: {show('app', apps[-1])}\n         {show('bare', bares[-1])}")
    result = Measured(config, target, median(apps), median(bares))
    print(f"median   {show('app', result.app)}\n         {show('bare', result.bare)}")
    return result


def verdict(m: Measured) -> str:
    ratio = m.app.rps / m.bare.rps
    met = ratio >= 0.6 and m.app.p99_ms < 20
    return (
        f"{m.config:<17} {m.target:<5} {m.app.rps:>8,.0f} {m.bare.rps:>8,.0f} {ratio:>6.2f} "
        f"{m.app.p99_ms:>8.1f} {m.bare.p99_ms:>8.1f}  {'met' if met else 'NOT met'}"
    )


def run(args: argparse.Namespace) -> None:
    print(
        f"gunicorn with {args.workers} workers; wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration:g}s, {args.rounds} rounds; {os.cpu_count()} CPUs"
    )
    results = []
    for config in args.configs:
        with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
            workdir = Path(tmp)
            with services(config, workdir, args.data_dir) as env:
                results += [measure(config, t, env, workdir, args) for t in args.targets]
    print(
        f"\ntarget: ratio >= 0.60 of the bare server's requests/s and p99 < 20 ms at "
        f"{args.connections} connections"
    )
    print(
        f"{'configuration':<17} {'what':<5} {'app r/s':>8} {'bare r/s':>8} {'ratio':>6} "
        f"{'app p99':>8} {'bare p99':>8}"
    )
    for m in results:
        print(verdict(m))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="app+bare pairs; medians shown")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of unmeasured load")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--target",
        dest="targets",
        action="append",
        choices=sorted(PATHS),
        help="api: GET /api/v1/wards/<id>/candidates; page: the voter's results page "
        "(repeatable; default: both)",
    )
    parser.add_argument(
        "--config",
        dest="configs",
        action="append",
        choices=CONFIGS,
        help="sqlite: the embedded default, no Redis; postgresql+redis (repeatable; default: both)",
    )
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY", "2")),
        help="gunicorn workers for both servers (default: as the production config)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=os.environ.get("MYCANDIDATE_DATA_DIR"),
        help="folder holding kenya-2022/ (default: $MYCANDIDATE_DATA_DIR; else downloaded)",
    )
    args = parser.parse_args(argv)
    args.rounds = max(1, args.rounds)
    args.targets = args.targets or ["api", "page"]
    args.configs = args.configs or list(CONFIGS)
    run(args)


if __name__ == "__main__":
    main()
