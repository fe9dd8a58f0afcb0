"""Security headers on every response; the site's CSP allows no inline script."""

from __future__ import annotations

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

# Paths that never use a session: no cookie is read, signed or set for them.
STATELESS_PREFIXES = ("/api/", "/healthz", "/readyz")


class SiteSessionInterface(SecureCookieSessionInterface):
    """Sessions for the site only; the API and health checks are stateless."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if request.path.startswith(STATELESS_PREFIXES):
            return self.make_null_session(app)
        return super().open_session(app, request)


_COMMON_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
]
# Everything that is not an HTML page (the API, health checks, CSS, JS) embeds nothing.
NON_HTML_HEADERS = [
    *_COMMON_HEADERS,
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
]


def register(app: Flask, frame_ancestors: str) -> None:
    """Register before anything that adds headers (compression): this hook then runs last."""
    site_csp = "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        )
    )
    html_headers = [*_COMMON_HEADERS, ("Content-Security-Policy", site_csp)]
    app.session_interface = SiteSessionInterface()

    @app.after_request
    def _headers(response: Response) -> Response:
        # One pass over the few headers present, instead of a scan per setdefault: this
        # runs on every API request.
        headers = response.headers
        present = {key.lower() for key, _ in headers}
        if "date" in present:
            # The server sends Date itself; a conditional-request check may add a second,
            # and a replayed answer must not carry the time it was first sent.
            del headers["Date"]
        wanted = html_headers if response.mimetype == "text/html" else NON_HTML_HEADERS
        for key, value in wanted:
            if key.lower() not in present:
                headers.add(key, value)
        return response
