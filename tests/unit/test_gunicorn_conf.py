"""The container's gunicorn settings: JSON log lines, values from the environment."""

import importlib
import json
from datetime import timedelta
from types import SimpleNamespace

from gunicorn.config import Config

from mycandidate import gunicorn_conf

SETTINGS = ("accesslog", "errorlog", "loglevel", "logger_class", "control_socket_disable")


def make_logger() -> gunicorn_conf.JsonLogger:
    cfg = Config()
    for name in SETTINGS:
        cfg.set(name, getattr(gunicorn_conf, name))
    return gunicorn_conf.JsonLogger(cfg)


def test_access_lines_are_json_on_stdout_even_with_quotes_in_the_request(capsys):
    logger = make_logger()
    environ = {
        "REMOTE_ADDR": "10.0.1.7",
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/api/v1/wards/1/candidates?q=%22x%22",
        "PATH_INFO": "/api/v1/wards/1/candidates",
        "QUERY_STRING": 'q="x"',
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_USER_AGENT": 'curl "quoted" \\ agent',
        "HTTP_X_FORWARDED_FOR": "203.0.113.9",
    }
    resp = SimpleNamespace(status="200 OK", sent=4557, headers=[])
    req = SimpleNamespace(headers=[("USER-AGENT", environ["HTTP_USER_AGENT"])])
    logger.access(resp, req, environ, timedelta(microseconds=41_800))
    line = capsys.readouterr().out.strip()
    entry = json.loads(line)
    assert entry["path"] == "/api/v1/wards/1/candidates"
    assert entry["query"] == 'q="x"'
    assert entry["status"] == 200
    assert entry["bytes"] == 4557
    assert entry["duration_ms"] == 41.8
    assert entry["agent"] == 'curl "quoted" \\ agent'
    assert entry["forwarded_for"] == "203.0.113.9"


def test_gunicorn_messages_are_json_on_stderr(capsys):
    make_logger().info("Booting worker with pid: %s", 42)
    entry = json.loads(capsys.readouterr().err.strip())
    assert entry["logger"] == "gunicorn.error"
    assert entry["message"] == "Booting worker with pid: 42"


def test_workers_port_and_proxies_come_from_the_environment(monkeypatch):
    try:
        monkeypatch.setenv("WEB_CONCURRENCY", "5")
        monkeypatch.setenv("PORT", "9000")
        monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.0/16")
        conf = importlib.reload(gunicorn_conf)
        assert (conf.workers, conf.bind, conf.forwarded_allow_ips) == (
            5,
            "0.0.0.0:9000",
            "10.0.0.0/16",
        )
        for name in ("WEB_CONCURRENCY", "PORT", "FORWARDED_ALLOW_IPS"):
            monkeypatch.delenv(name)
        conf = importlib.reload(gunicorn_conf)
        assert (conf.workers, conf.bind, conf.forwarded_allow_ips) == (
            2,
            "0.0.0.0:8000",
            "127.0.0.1,::1",
        )
    finally:
        monkeypatch.undo()
        importlib.reload(gunicorn_conf)


def test_shutdown_fits_in_the_ecs_stop_timeout_and_nothing_writes_to_the_image():
    ecs_stop_timeout = 30
    assert gunicorn_conf.graceful_timeout < ecs_stop_timeout - 5
    assert gunicorn_conf.control_socket_disable is True
    assert gunicorn_conf.worker_tmp_dir in ("/dev/shm", "/tmp")


def test_workers_fork_with_the_preloaded_app_frozen_out_of_the_collector():
    import gc

    cfg = Config()
    cfg.set("pre_fork", gunicorn_conf.pre_fork)  # gunicorn checks the hook's signature
    gc.unfreeze()
    try:
        cfg.pre_fork(None, None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
