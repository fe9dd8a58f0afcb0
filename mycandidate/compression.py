"""Text answers (HTML, CSS, JS, JSON) compressed with brotli or gzip, by Flask-Compress.

Each encoding is its own representation with its own ETag (`"<etag>:br"`), so a
conditional request is answered for the variant the client holds.
"""

from __future__ import annotations

from flask import Flask, Response
from flask_compress import Compress


def init_app(app: Flask) -> None:
    app.config.update(
        COMPRESS_ALGORITHM=["br", "gzip"],
        # Flask-Compress's streaming path never closes the file it reads; files are
        # buffered below instead, and then compressed like any other answer.
        COMPRESS_STREAMS=False,
    )
    Compress(app)
    # Registered after Compress, so it runs before it (Flask runs these in reverse).
    app.after_request(_buffer_file)


def _buffer_file(response: Response) -> Response:
    """Static files are a few kilobytes: read them into memory and close them."""
    if response.status_code == 200 and response.is_streamed and response.direct_passthrough:
        body = b"".join(response.iter_encoded())
        response.close()
        response.direct_passthrough = False
        response.set_data(body)
    return response
