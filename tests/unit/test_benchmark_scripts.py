"""The benchmark scripts start and parse their options; the bare app replays what it is given."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit
BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.mark.parametrize("script", ["load.py", "http.py"])
def test_help_runs_as_a_script(script):
    # Run as a path, as the docs say: http.py must not shadow the standard library's http.
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--data-dir" in result.stdout


def test_bare_app_replays_status_headers_and_body(tmp_path, monkeypatch):
    path = "/api/v1/wards/1/candidates"
    recorded = {path: ["200 OK", [["Content-Type", "application/json"], ["ETag", '"x"']], "[1]"]}
    (tmp_path / "r.json").write_text(json.dumps(recorded))
    monkeypatch.setenv("BENCH_RESPONSES", str(tmp_path / "r.json"))
    spec = importlib.util.spec_from_file_location("bare_wsgi", BENCHMARKS / "bare_wsgi.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    started = []
    body = module.app({"PATH_INFO": path}, lambda s, h: started.append((s, h)))
    assert b"".join(body) == b"[1]"
    assert started == [("200 OK", [("Content-Type", "application/json"), ("ETag", '"x"')])]
    module.app({"PATH_INFO": "/elsewhere"}, lambda s, h: started.append((s, h)))
    assert started[-1][0] == "404 Not Found"


def load_http_benchmark():
    spec = importlib.util.spec_from_file_location("bench_http", BENCHMARKS / "http.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_http_benchmark_measures_both_configurations_and_both_targets_by_default():
    bench = load_http_benchmark()
    assert bench.CONFIGS == ("sqlite", "postgresql+redis")
    assert sorted(bench.PATHS) == ["api", "page"]


@pytest.mark.parametrize(
    ("app_rps", "app_p99", "met"),
    [(700, 10.0, "met"), (500, 10.0, "NOT met"), (900, 20.0, "NOT met")],
)
def test_http_benchmark_states_each_target_met_or_not(app_rps, app_p99, met):
    bench = load_http_benchmark()
    app = bench.Result(app_rps, 5.0, app_p99, 0, 300.0, 0.2)
    bare = bench.Result(1000, 4.0, 9.0, 0, 250.0, 0.2)
    line = bench.verdict(bench.Measured("sqlite", "page", app, bare))
    assert line.startswith("sqlite") and line.endswith(met)
