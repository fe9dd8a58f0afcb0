"""Plain HTTP GETs for smoke tests (stdlib only: the checks must not depend on opsctl's deps)."""

from __future__ import annotations

import urllib.error
import urllib.request


def get(url: str, timeout: float = 10.0) -> tuple[int | None, bytes, str | None]:
    """(status, body, error); status None when nothing answered."""
    if not url.startswith(("http://", "https://")):
        return None, b"", f"not an HTTP URL: {url}"
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 (scheme checked above)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked)
            return response.status, response.read(), None
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        return None, b"", str(getattr(exc, "reason", exc))
