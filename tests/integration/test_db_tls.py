"""TLS to PostgreSQL as on RDS: `sslmode=verify-full` against a CA bundle named in the URL.

A PostgreSQL server with ssl=on and a certificate for `localhost` signed by a CA this test
makes; it accepts TLS connections only. The app (and `opsctl db upgrade`) pass the URL's
sslmode and sslrootcert through to libpq: the right CA connects, another CA or a
certificate for another host name is refused.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import require
from tests.support.servers import free_port

pytestmark = pytest.mark.integration

PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


@dataclass(frozen=True)
class Pem:
    cert: bytes
    key: bytes


def make_ca(name: str) -> tuple[Pem, object, object]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    pem = Pem(cert.public_bytes(serialization.Encoding.PEM), b"")
    return pem, cert, key


def server_cert(ca_cert: object, ca_key: object, host: str) -> Pem:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    names: list[x509.GeneralName] = [x509.DNSName(host)]
    if host == "localhost":
        names.append(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
        .issuer_name(ca_cert.subject)  # type: ignore[attr-defined]
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .sign(ca_key, hashes.SHA256())  # type: ignore[arg-type]
    )
    return Pem(
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


def run_as_postgres(argv: list[str]) -> None:
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]


@dataclass(frozen=True)
class TlsServer:
    port: int
    ca: Path  # the CA that signed the server's certificate
    other_ca: Path  # a CA that did not

    def url(self, ca: Path, host: str = "localhost", mode: str = "verify-full") -> str:
        # hostaddr: connect to 127.0.0.1 whatever `host` resolves to; libpq checks `host`.
        return (
            f"postgresql+psycopg://postgres@{host}:{self.port}/app"
            f"?sslmode={mode}&sslrootcert={ca}&hostaddr=127.0.0.1&connect_timeout=5"
        )


@pytest.fixture(scope="module")
def tls_server() -> Iterator[TlsServer]:
    pytest.importorskip("cryptography")
    initdb = next((d / "initdb" for d in PG_BIN if (d / "initdb").exists()), None)
    require(initdb is not None, "PostgreSQL server binaries (initdb)")
    bin_dir = Path(str(initdb)).parent
    # Not pytest's tmp_path: the postgres user must reach it when the tests run as root.
    work = Path(tempfile.mkdtemp(prefix="mycandidate-pg-tls-"))
    data = work / "data"
    ca_pem, ca_cert, ca_key = make_ca("mycandidate test CA")
    other_pem, _, _ = make_ca("some other CA")
    (work / "ca.pem").write_bytes(ca_pem.cert)
    (work / "other-ca.pem").write_bytes(other_pem.cert)
    if os.geteuid() == 0:
        shutil.chown(work, "postgres")
    run_as_postgres([str(initdb), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync"])
    server = server_cert(ca_cert, ca_key, "localhost")
    (data / "server.crt").write_bytes(server.cert)
    (data / "server.key").write_bytes(server.key)
    (data / "server.key").chmod(0o600)
    port = free_port()
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(
            f"\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{work}'"
            "\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nfsync = off\n"
        )
    # TLS or nothing over TCP, as RDS with rds.force_ssl=1.
    (data / "pg_hba.conf").write_text("local all all trust\nhostssl all all 127.0.0.1/32 trust\n")
    if os.geteuid() == 0:
        for path in (data / "server.crt", data / "server.key", data / "postgresql.conf"):
            shutil.chown(path, "postgres")
        shutil.chown(data / "pg_hba.conf", "postgres")
    pg_ctl = str(bin_dir / "pg_ctl")
    run_as_postgres([pg_ctl, "-D", str(data), "-l", str(work / "pg.log"), "-w", "start"])
    try:
        run_as_postgres([str(bin_dir / "createdb"), "-h", str(work), "-p", str(port), "app"])
        yield TlsServer(port, work / "ca.pem", work / "other-ca.pem")
    finally:
        run_as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "stop"])
        shutil.rmtree(work, ignore_errors=True)


def opsctl(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opsctl", *args],
        env={**os.environ, "NO_COLOR": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_verify_full_with_the_right_ca_connects_over_tls(tls_server, make_app):
    done = opsctl("db", "upgrade", env={"DATABASE_URL": tls_server.url(tls_server.ca)})
    assert done.returncode == 0, done.stderr
    # DATABASE_PASSWORD re-renders the URL: the TLS parameters must survive it.
    app = make_app(tls_server.url(tls_server.ca), database_password="unused-with-trust")
    with app.extensions["mycandidate.engine"].connect() as connection:
        assert connection.scalar(
            sa.text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        )
    # Reachable and migrated; not ready only because nothing is loaded.
    assert app.test_client().get("/readyz").get_json()["reason"] == "no_dataset"


def test_verify_full_refuses_a_server_another_ca_signed(tls_server, make_app):
    app = make_app(tls_server.url(tls_server.other_ca))
    assert app.test_client().get("/readyz").get_json()["reason"] == "database_unreachable"
    done = opsctl("db", "upgrade", env={"DATABASE_URL": tls_server.url(tls_server.other_ca)})
    assert done.returncode == 1
    assert "certificate verify failed" in done.stderr


def test_verify_full_refuses_a_certificate_for_another_host(tls_server):
    wrong_host = tls_server.url(tls_server.ca, host="db.example.invalid")
    done = opsctl("db", "current", env={"DATABASE_URL": wrong_host})
    assert done.returncode == 1
    assert "db.example.invalid" in done.stderr
    # verify-ca checks only the chain: the same URL connects, so verify-full made the difference.
    chain_only = tls_server.url(tls_server.ca, host="db.example.invalid", mode="verify-ca")
    assert opsctl("db", "current", env={"DATABASE_URL": chain_only}).returncode == 0


def test_plain_tcp_is_refused(tls_server):
    plain = f"postgresql+psycopg://postgres@127.0.0.1:{tls_server.port}/app?sslmode=disable"
    done = opsctl("db", "current", env={"DATABASE_URL": plain})
    assert done.returncode == 1 and "no pg_hba.conf entry" in done.stderr
