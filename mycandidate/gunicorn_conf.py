"""Gunicorn settings for containers: `gunicorn -c python:mycandidate.gunicorn_conf ...`.

Values come from the environment so one image serves every environment. Nothing here
writes to the filesystem outside /tmp or /dev/shm: the image runs on a read-only root.
"""

from __future__ import annotations

import gc
import json
import os
from datetime import UTC, datetime
from typing import Any

from gunicorn.glogging import Logger

from mycandidate.logs import JsonFormatter

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Import the app once in the master: workers fork ready (faster start, shared memory).
# create_app opens no connections, so no socket is shared across the fork.
preload_app = True
# Worker heartbeats go to a tmpfs rather than the (read-only) image filesystem.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp"  # noqa: S108 (tmpfs for heartbeats; the root filesystem is read-only)
# ECS sends SIGTERM, then SIGKILL after its 30 s stop timeout: drain well within it.
graceful_timeout = 20
timeout = 30
# The load balancer's addresses (a CIDR or `*` inside a private subnet); only then are
# X-Forwarded-Proto/For trusted, so url_for builds https links behind the ALB.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The runtime control socket would need a writable $HOME; operators use signals instead.
control_socket_disable = True


def pre_fork(_server: Any, _worker: Any) -> None:
    """Everything the preloaded app built is kept out of the collector's sight: a full
    collection in a worker then walks only what the worker made since, not the ~100k
    objects of the framework (tens of ms of pause each time), and the shared pages stay
    shared."""
    gc.freeze()


accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("MYCANDIDATE_LOG_LEVEL", "info").lower()


class JsonLogger(Logger):
    """Access lines as JSON objects on stdout; gunicorn's own messages as JSON on stderr."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "level": "info",
            "logger": "gunicorn.access",
            "remote": atoms["h"],
            "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR"),
            "method": atoms["m"],
            "path": atoms["U"],
            "query": atoms["q"] or None,
            "status": int(atoms["s"]) if str(atoms["s"]).isdigit() else atoms["s"],
            "bytes": atoms["B"],
            "duration_ms": round(atoms["D"] / 1000, 1),
            "agent": atoms["a"],
        }
        self.access_log.info(json.dumps(entry, ensure_ascii=False))


logger_class = JsonLogger
