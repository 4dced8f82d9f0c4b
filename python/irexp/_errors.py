"""The exception irexp raises for input the user can fix."""

from typing import Optional


class InputError(ValueError):
    """Bad input: a malformed run or qrels file, a DataFrame without the expected columns,
    an unknown measure name, a bad setting.

    The message says what is wrong and where, as the ``irexp`` command prints it
    (``run.txt:12: field 5 (score) "x" is not a number ...``).

    Attributes:
        path: the file the error is in, when it is in a file (``<run DataFrame>``,
            ``<run dict>`` and the like for data given in memory), else None.
        line: the 1-based line in that file, when the error is on one line, else None.
    """

    def __init__(self, message: str, path: Optional[str] = None, line: Optional[int] = None):
        super().__init__(message)
        self.path = path
        self.line = line
