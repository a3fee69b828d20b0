"""Errors the command line turns into one clear line on stderr."""


class HarnessError(Exception):
    """A problem the user can fix: the message names the problem and the fix.

    The CLI prints it as one line (``harness: error: ...``) and exits with ``exit_code``,
    never with a traceback.
    """

    exit_code = 1


class UsageError(HarnessError):
    """An argument the harness cannot use (a missing directory, an unknown check...)."""

    exit_code = 2


class SandboxUnavailableError(HarnessError):
    """The requested sandbox backend cannot run on this machine."""

    exit_code = 2
