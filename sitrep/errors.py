"""One exception hierarchy for sitrep.  A bad document becomes a recorded Failure, never a batch crash."""


class SitrepError(Exception):
    """Base class of every error sitrep raises on purpose."""


class InputError(SitrepError):
    """An input (file, line, feed entry) that cannot be read as an article.

    ``input_name`` and ``line`` say where; the message says why.
    """

    def __init__(self, input_name: str, reason: str, line: int | None = None):
        self.input_name = input_name
        self.reason = reason
        self.line = line
        where = input_name if line is None else f"{input_name}:{line}"
        super().__init__(f"{where}: {reason}")


class UsageError(SitrepError):
    """Bad command-line usage or arguments (exit status 2)."""


class RegistryError(SitrepError):
    """A registry data file under sitrep/data is malformed."""


class GazetteerError(SitrepError):
    """The gazetteer index cannot be built or read, or an import file is malformed."""


class StoreError(SitrepError):
    """The event store cannot be opened or written."""
