"""The app's own PostgreSQL role: LOGIN, read-only, created or updated by each migration.

Identifiers are quoted by psycopg.sql; the password never reaches SQL as text: libpq turns
it into a SCRAM-SHA-256 verifier first (so not even the server's statement log sees it),
and that goes in as a quoted literal (ALTER ROLE takes no bind parameters).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection


class RoleError(Exception):
    """The app role cannot be created or granted as asked."""


@dataclass(frozen=True)
class AppRole:
    name: str
    password: str = field(repr=False)


def grant_read_only(connection: Connection, role: AppRole) -> None:
    """Create or update `role` (password set on every run) with SELECT-only access."""
    import psycopg
    from psycopg import sql

    raw = connection.connection.driver_connection
    if not isinstance(raw, psycopg.Connection):
        raise RoleError("the app role needs the psycopg driver (postgresql+psycopg://)")
    name = sql.Identifier(role.name)
    try:
        with raw.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database(), current_schema()")
            user, database, schema = cursor.fetchone() or (None, None, None)
            if not (database and schema):
                raise RoleError("no current schema: check the migrating user's search_path")
            if user == role.name:
                raise RoleError(
                    f"MYCANDIDATE_APP_ROLE {role.name!r} is the user running the migration: "
                    "name a separate role for the app"
                )
            verifier = raw.pgconn.encrypt_password(
                role.password.encode(), role.name.encode(), b"scram-sha-256"
            ).decode()
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role.name,))
            verb = (
                "ALTER ROLE {} WITH LOGIN PASSWORD {}"
                if cursor.fetchone()
                else ("CREATE ROLE {} WITH LOGIN PASSWORD {}")
            )
            cursor.execute(sql.SQL(verb).format(name, sql.Literal(verifier)))
            on_schema = sql.Identifier(schema)
            for statement in (
                "GRANT CONNECT ON DATABASE {db} TO {role}",
                "GRANT USAGE ON SCHEMA {schema} TO {role}",
                "REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER "
                "ON ALL TABLES IN SCHEMA {schema} FROM {role}",
                "GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}",
                # Tables later migrations create (as this user) are readable too.
                "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT ON TABLES TO {role}",
            ):
                cursor.execute(
                    sql.SQL(statement).format(
                        db=sql.Identifier(database), schema=on_schema, role=name
                    )
                )
    except psycopg.Error as exc:
        message = (exc.diag.message_primary or str(exc)).strip()
        raise RoleError(f"app role {role.name!r}: {message}") from exc
