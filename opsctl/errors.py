"""The one exception type domain code raises; only opsctl.app turns it into an exit."""

from __future__ import annotations

# Exit codes shared by every command.
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PREREQUISITE = 3
EXIT_INTERRUPTED = 130


class OpsError(Exception):
    """An expected failure: one line for the user, an optional hint, an exit code."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, hint: str | None = None, exit_code: int | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code


class PrerequisiteError(OpsError):
    """A tool, service, file or setting the command needs is missing."""

    exit_code = EXIT_PREREQUISITE
