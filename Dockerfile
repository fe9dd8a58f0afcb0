# MyCandidate: gunicorn serving the Flask app, plus the opsctl commands it needs at run time.
#
#   docker build -t mycandidate .                 # or: opsctl build
#   docker run --rm -p 127.0.0.1:8000:8000 --read-only --tmpfs /tmp \
#     -e SECRET_KEY=change-me -e DATABASE_URL=sqlite:////tmp/mycandidate.sqlite3 \
#     mycandidate opsctl serve --host 0.0.0.0 --prepare
#
# The default command only serves: it never upgrades the schema or loads data, so on an
# empty database /healthz answers and /readyz says 503 (schema_outdated). Migrations run
# once, before a release, as `opsctl db upgrade` (a one-off task, or compose's `migrate`);
# `--prepare` (above) does both first, for a standalone container.
#
# BASE_IMAGE must be a Debian-based image with Python 3.11 (python3 on PATH). Builder and
# runtime use the same base, so the venv's interpreter link (/usr/local/bin/python3 in the
# official image, /usr/bin/python3 in a Debian-package build) is valid in both.
# checkov:skip=CKV_DOCKER_7:FROM uses BASE_IMAGE, whose default is pinned by tag and digest
ARG BASE_IMAGE=python:3.11.14-slim-bookworm@sha256:65a93d69fa75478d554f4ad27c85c1e69fa184956261b4301ebaf6dbb0a3543d

# ---- builder: two virtual environments from hash-locked requirements -------------------
FROM ${BASE_IMAGE} AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_NO_INPUT=1
# /opt/venv is what ships, without pip; /opt/build holds pip and the build backend.
RUN python3 -m venv /opt/build \
    && python3 -m venv --without-pip /opt/venv
# Optional CA bundle for a TLS-inspecting proxy (see docker/build-ca/README.md).
# Only this stage sees it; the runtime stage below starts again from BASE_IMAGE.
COPY docker/build-ca/ /tmp/build-ca/
COPY requirements/runtime.txt requirements/build.txt /tmp/requirements/
RUN if [ -s /tmp/build-ca/ca.pem ]; then export PIP_CERT=/tmp/build-ca/ca.pem; fi \
    && /opt/build/bin/pip install --require-hashes --no-deps --only-binary=:all: -r /tmp/requirements/build.txt \
    && /opt/build/bin/pip --python /opt/venv/bin/python install --require-hashes --no-deps \
        --no-compile --only-binary=:all: -r /tmp/requirements/runtime.txt \
    && /opt/venv/bin/python -c "import pathlib, sysconfig; pathlib.Path(sysconfig.get_path('purelib'), 'mycandidate-app.pth').write_text('/opt/app\n')"

# ---- app: the package itself, in its own folder so a code change leaves the deps cached --
FROM builder AS app
COPY pyproject.toml README.md /src/
COPY mycandidate /src/mycandidate
COPY opsctl /src/opsctl
RUN /opt/build/bin/pip wheel --no-deps --no-build-isolation --no-index -w /tmp/wheels /src \
    && /opt/build/bin/pip --python /opt/venv/bin/python install --no-deps --no-index --no-compile \
        --target /opt/app /tmp/wheels/mycandidate-*.whl

# ---- runtime: interpreter, the venv and the app; no pip, compiler, caches or CA bundle -----
FROM ${BASE_IMAGE} AS runtime
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /nonexistent --no-create-home \
        --shell /usr/sbin/nologin app
# tini as PID 1: forwards SIGTERM to one-off commands such as `opsctl db upgrade` (a Python
# PID 1 would ignore it) and reaps the health checks' processes. Its version is the one
# of the pinned base image's Debian release; a pinned point release would vanish from
# the mirror with the next security update.
# hadolint ignore=DL3008
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt/* /var/log/dpkg.log
COPY --from=builder /opt/venv /opt/venv
COPY --from=app /opt/app /opt/app
# AWS's RDS CAs for sslmode=verify-full, when fetched (docker/rds-ca/README.md).
COPY docker/rds-ca/ /opt/rds-ca/
# Writable paths are all under /tmp, so the root filesystem can be mounted read-only.
# The packages ship without bytecode (that would add ~30 MB): the first process of a
# container compiles what it imports into /tmp/pycache, and the next (gunicorn, which
# `opsctl serve` execs) and the health checks reuse it.
ENV PATH=/opt/app/bin:/opt/venv/bin:$PATH \
    PYTHONPYCACHEPREFIX=/tmp/pycache \
    PYTHONUNBUFFERED=1 \
    XDG_DATA_HOME=/tmp \
    MYCANDIDATE_CACHE_DIR=/tmp/mycandidate-cache \
    PORT=8000
USER 10001:10001
WORKDIR /tmp
EXPOSE 8000
# gunicorn drains on SIGTERM within graceful_timeout (mycandidate/gunicorn_conf.py).
STOPSIGNAL SIGTERM
# No curl in the image: a raw HTTP/1.0 request from Python without site-packages costs
# ~20 ms of CPU, so checking every second (healthy ~1 s after gunicorn answers) is cheap.
HEALTHCHECK --interval=1s --timeout=2s --start-period=30s --retries=5 \
    CMD ["python", "-S", "-c", "import os, socket; s = socket.create_connection(('127.0.0.1', int(os.environ.get('PORT', '8000'))), 2); s.sendall(b'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n'); raise SystemExit(s.recv(12)[9:] != b'200')"]
ENTRYPOINT ["tini", "--"]
# Serves only (contract C3): no schema upgrade, no data load.
CMD ["opsctl", "serve", "--host", "0.0.0.0"]

# Build metadata last, so a new revision or date invalidates no cached layer.
ARG VERSION=0.0.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="mycandidate" \
      org.opencontainers.image.description="Find every candidate standing in your ward" \
      org.opencontainers.image.source="https://github.com/mycandidate/mycandidate" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
