"""MyCandidate: every candidate standing in a voter's area, from the official lists."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from mycandidate.settings import Settings

try:
    __version__ = version("mycandidate")
except PackageNotFoundError:  # a source tree that is not installed
    __version__ = "0.0.0+unknown"


def create_app(settings: Settings | None = None) -> Flask:
    """Build the WSGI app. Configuration comes from the environment unless given."""
    import secrets

    from flask import Flask

    from mycandidate import api, compression, db, health, logs, security, site
    from mycandidate.api import errors
    from mycandidate.cache import ResponseCache
    from mycandidate.context import DatasetMemo
    from mycandidate.fastpath import FastPath
    from mycandidate.settings import Settings

    settings = settings or Settings.from_env()
    settings.check_for_web()
    logs.configure(settings.log_level)

    # The site blueprint serves /static; an app-level static route would shadow it.
    app = Flask(__name__, static_folder=None)
    # "//" in an API path is a malformed URL (a 404), not a redirect with an HTML body.
    app.url_map.merge_slashes = False
    app.config.update(
        # Debug and tests without a key get a random one per process, never a fixed default.
        SECRET_KEY=settings.secret_key or secrets.token_urlsafe(32),
        DEBUG=settings.debug,
        TESTING=settings.testing,
        JSON_SORT_KEYS=False,
    )
    # Templates are read by people viewing source and by the embed; keep them tidy.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.extensions["mycandidate.settings"] = settings
    cache = ResponseCache(settings.redis_url, settings.cache_ttl)
    memo = DatasetMemo()
    app.extensions["mycandidate.cache"] = cache
    app.extensions["mycandidate.dataset"] = memo
    db.init_app(app, settings.sqlalchemy_url)

    app.register_blueprint(health.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(site.bp)
    errors.register(app)
    security.register(app, settings.frame_ancestors)
    compression.init_app(app)
    # Answers this worker already sent are replayed before Flask runs (see fastpath.py).
    app.wsgi_app = FastPath(app.wsgi_app, memo, cache)  # type: ignore[method-assign]
    return app
