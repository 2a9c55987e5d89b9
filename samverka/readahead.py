"""Read an import file in a second process while this one writes to the database.

An import spends about as much CPU time reading its file (Python and lxml
turning XML or CSV into values) as applying it. Threads would not run the two
at once (the GIL), a second process does: on a 2-core machine the reading
then costs almost no time of its own.

``read_ahead(source, read)`` is what the importers call: a ``ChildReader``
for a large file, and for a small one (a daily change notice) the same
iteration in this process, where starting a child would cost more than it
saves (``IN_CHILD_FROM_BYTES``).

``ChildReader(source, read)`` runs ``read(stream)`` in a child process and
hands out what it yields, in order. The file's bytes go to the child through a
pipe, fed by a thread of this process from ``source`` (any binary file object
or path), so the caller's file object is read as before (its position still
shows the progress) and nothing else needs a path. The child reads at most
AHEAD_CHUNKS messages ahead of the caller, and the file goes to it through a
pipe as it reads: memory stays flat however large the file.

Only the reading moves: this process keeps the database connection and the
transaction. An error ``read`` raises (a bad post, a bad line) is raised here,
after the items before it, as it would have been in this process; the child
sends the exception itself, so it keeps its message, line and post. If either
side dies the other sees the pipe close and stops, so a killed import leaves
no reader behind, and writes nothing: the transaction is never committed.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import queue
import threading
from collections.abc import Callable, Iterator
from multiprocessing.reduction import ForkingPickler
from typing import Any, BinaryIO

CHUNK_ITEMS = 200  # items per message: one message per item would cost more than the item
CHUNK_BYTES = 256 * 1024  # bytes of the file per message to the child
# Messages the child may be ahead of the parent: 20 x 200 items, more than one
# batch of the importers (2,000), so the child reads on while a batch is written.
AHEAD_CHUNKS = 20

# A file smaller than this is read in the importing process: starting the child
# and handing it the register's digests costs more than reading a daily change
# notice takes (bench/README.md).
IN_CHILD_FROM_BYTES = 32 * 1024 * 1024

# A fresh interpreter, not a fork: a fork would copy this process's open
# database connection and threads. The child imports only the reader.
_context = multiprocessing.get_context("spawn")


def _opened(source: str | os.PathLike[str] | BinaryIO):
    """A path opened for reading (and closed after), or the caller's file object as it is."""
    if isinstance(source, str | os.PathLike):
        return open(source, "rb")
    return contextlib.nullcontext(source)


class InlineReader[T]:
    """Iterate ``read(stream)`` in this process. ``result`` is what ``read``
    returned, once iteration has ended."""

    def __init__(self, source: str | os.PathLike[str] | BinaryIO, read: Callable[..., Any]):
        self.source = source
        self.read = read
        self.result: Any = None

    def __iter__(self) -> Iterator[T]:
        with _opened(self.source) as stream:
            yield from self._run(stream)

    def _run(self, stream: BinaryIO) -> Iterator[T]:
        self.result = yield from self.read(stream)


class ChildReader[T](InlineReader[T]):
    """Iterate ``read(stream)`` in a child process; ``read`` must be picklable
    (a module-level function, or a ``functools.partial`` of one) and must not use
    the database. ``result`` as for ``InlineReader``."""

    def _run(self, stream: BinaryIO) -> Iterator[T]:
        bytes_in, bytes_out = _context.Pipe(duplex=False)
        items_in, items_out = _context.Pipe(duplex=False)
        child = _context.Process(
            target=_child, args=(self.read, bytes_in, items_out), name="import-reader", daemon=True
        )
        child.start()
        # The child holds its own copies of its ends; closing ours lets each side
        # see the other's end close.
        bytes_in.close()
        items_out.close()
        feeder = threading.Thread(
            target=_feed, args=(stream, bytes_out), name="import-feeder", daemon=True
        )
        feeder.start()
        try:
            while True:
                try:
                    # Our own child over a private pipe: the pickled messages are trusted.
                    kind, payload = items_in.recv()
                except EOFError:
                    raise RuntimeError("The import's file reader stopped unexpectedly.") from None
                if kind == "items":
                    yield from payload
                elif kind == "error":
                    raise payload
                else:
                    self.result = payload
                    return
        finally:
            items_in.close()  # a child still sending gets a broken pipe and ends
            child.join(timeout=10)
            if child.is_alive():
                child.terminate()
                child.join()
            feeder.join()


def _feed(stream: BinaryIO, out) -> None:
    """Send the file's bytes to the child, then an empty message for the end."""
    try:
        while chunk := stream.read(CHUNK_BYTES):
            out.send_bytes(chunk)
        out.send_bytes(b"")
    except (BrokenPipeError, OSError):
        pass  # the child has ended (an error in the file, or the caller stopped)
    finally:
        out.close()


class _PipeStream(io.RawIOBase):
    """The file as the child sees it: the messages of the pipe as a raw binary stream."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.chunk = b""
        self.offset = 0
        self.ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.offset >= len(self.chunk):
            if self.ended:
                return 0
            self.chunk, self.offset = self.connection.recv_bytes(), 0
            self.ended = not self.chunk
        size = min(len(buffer), len(self.chunk) - self.offset)
        buffer[:size] = self.chunk[self.offset : self.offset + size]
        self.offset += size
        return size


def _child(read: Callable[..., Any], bytes_in, items_out) -> None:
    # Messages go out through a queue and a sender thread, so that reading goes
    # on while the parent is busy writing a batch and not taking them: a pipe
    # alone holds a few hundred items, less than one batch of the importers.
    outbox: queue.Queue[bytes | None] = queue.Queue(maxsize=AHEAD_CHUNKS)
    gone = threading.Event()  # the parent has stopped taking messages

    def send_all() -> None:
        try:
            while (message := outbox.get()) is not None:
                items_out.send_bytes(message)
        except OSError:  # a broken pipe: the parent has stopped
            gone.set()

    def put(message: bytes | None) -> bool:
        while not gone.is_set():
            try:
                outbox.put(message, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def send(kind: str, payload) -> bool:
        return put(ForkingPickler.dumps((kind, payload)))

    sender = threading.Thread(target=send_all, name="import-reader-sender", daemon=True)
    sender.start()
    try:
        items = read(io.BufferedReader(_PipeStream(bytes_in), CHUNK_BYTES))
        chunk = []
        while True:
            try:
                chunk.append(next(items))
            except StopIteration as end:
                if send("items", chunk):
                    send("end", end.value)
                return
            except Exception as error:  # noqa: BLE001 - sent to the parent, which raises it
                # What came before the error first, as a plain loop would give it.
                if send("items", chunk):
                    try:
                        message = ForkingPickler.dumps(("error", error))
                    except Exception:  # noqa: BLE001 - an exception that cannot be pickled
                        message = ForkingPickler.dumps(
                            ("error", RuntimeError(f"{type(error).__name__}: {error}"))
                        )
                    put(message)
                return
            if len(chunk) >= CHUNK_ITEMS:
                if not send("items", chunk):
                    return
                chunk = []
    finally:
        put(None)  # the sender passes on what is queued, then ends
        sender.join()
        items_out.close()
        bytes_in.close()


def size_of(source: str | os.PathLike[str] | BinaryIO) -> int | None:
    """The file's size in bytes, or None when it cannot be told without reading it."""
    if isinstance(source, str | os.PathLike):
        return os.path.getsize(source)
    size = getattr(source, "size", None)  # Django's uploaded and stored files
    if isinstance(size, int):
        return size
    try:
        return os.fstat(source.fileno()).st_size
    except (AttributeError, OSError, io.UnsupportedOperation):
        pass
    try:
        here = source.tell()
        end = source.seek(0, io.SEEK_END)
        source.seek(here)
        return end - here
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None


def read_ahead(
    source: str | os.PathLike[str] | BinaryIO,
    read: Callable[..., Any],
    *,
    in_child_from: int | None = None,
) -> ChildReader | InlineReader:
    """A ``ChildReader`` for a large file (or one of unknown size), an
    ``InlineReader`` for a small one: both iterate ``read(stream)`` and keep its
    ``result``."""
    size = size_of(source)
    limit = IN_CHILD_FROM_BYTES if in_child_from is None else in_child_from
    if size is not None and size < limit:
        return InlineReader(source, read)
    return ChildReader(source, read)
