"""Which importer applies a file of each kind.

The import run (this app) is the generic part: file, checksum, status,
progress. The importers are their domain apps' (people for Navet, schooling
for school files), which build on this app; each registers its importer
here when Django starts (their AppConfig.ready), so that running an upload
does not make this app import theirs.
"""

from collections.abc import Callable

from .errors import Counts

# An importer: (municipality=, source=, progress=) -> Counts, raising ImportFailed.
Importer = Callable[..., Counts]

_importers: dict[str, Importer] = {}


def register(kind: str, importer: Importer) -> None:
    _importers[kind] = importer


def importer_for(kind: str) -> Importer:
    try:
        return _importers[kind]
    except KeyError:
        raise LookupError(f"no importer is registered for {kind!r} files") from None
