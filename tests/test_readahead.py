"""samverka.readahead.ChildReader: reading a file in a child process, in order, errors
where they belong, bounded, and no reader left behind."""

import io
import multiprocessing
import os
from functools import partial

import pytest

from people.navet import NavetFormatError
from samverka import readahead
from samverka.readahead import CHUNK_BYTES, CHUNK_ITEMS, ChildReader, InlineReader, read_ahead


def lines(stream, *, fail_at: int | None = None):
    """A reader as the importers pass them: yields the file's lines, returns their number."""
    count = 0
    for count, line in enumerate(io.TextIOWrapper(stream, encoding="utf-8"), start=1):
        if count == fail_at:
            raise NavetFormatError("bad line", line=count, post_number=count)
        yield line.rstrip("\n")
    return count


def pid_of_reader(stream):
    yield os.getpid()


def numbered(count: int) -> bytes:
    return "".join(f"{n}\n" for n in range(count)).encode()


@pytest.mark.parametrize("count", [0, 1, CHUNK_ITEMS, 3 * CHUNK_ITEMS + 7])
def test_items_come_in_order_and_all_with_the_result(count: int) -> None:
    reader = ChildReader(io.BytesIO(numbered(count)), lines)
    assert list(reader) == [str(n) for n in range(count)]
    assert reader.result == count


def test_reads_a_path_and_a_file_larger_than_a_message(tmp_path) -> None:
    # More than one message of bytes, with lines split across messages.
    data = numbered(2 * CHUNK_BYTES // 6)
    path = tmp_path / "file.txt"
    path.write_bytes(data)
    assert list(ChildReader(path, lines)) == data.decode().splitlines()


def test_the_reader_runs_in_another_process() -> None:
    assert list(ChildReader(io.BytesIO(b""), pid_of_reader)) != [os.getpid()]


def test_an_error_comes_after_the_items_before_it_with_its_post_and_line() -> None:
    received = []
    with pytest.raises(NavetFormatError) as caught:
        for item in ChildReader(io.BytesIO(numbered(1000)), partial(lines, fail_at=700)):
            received.append(item)
    assert received == [str(n) for n in range(699)]
    assert (caught.value.message, caught.value.line, caught.value.post_number) == (
        "bad line",
        700,
        700,
    )
    assert str(caught.value) == "Post 700 (line 700): bad line"


def test_the_file_is_read_as_the_child_goes() -> None:
    """The caller's file object is read by a thread here, bounded by the pipes, so
    its position shows the progress and memory stays flat."""
    source = io.BytesIO(numbered(2_000_000))  # about 15 MB
    reader = iter(ChildReader(source, lines))
    assert next(reader) == "0"
    # The child is blocked by the pipe back to us: little of the file has been read.
    assert source.tell() < len(source.getvalue()) // 2
    reader.close()


def test_stopping_early_ends_the_child() -> None:
    reader = iter(ChildReader(io.BytesIO(numbered(2_000_000)), lines))
    assert next(reader) == "0"
    reader.close()
    assert not [p for p in multiprocessing.active_children() if p.name == "import-reader"]


# read_ahead: a child process for a large file only.


def test_a_small_file_is_read_in_this_process_with_the_same_result() -> None:
    reader = read_ahead(io.BytesIO(numbered(5)), lines, in_child_from=1024)
    assert isinstance(reader, InlineReader)
    assert list(reader) == ["0", "1", "2", "3", "4"]
    assert reader.result == 5
    assert list(read_ahead(io.BytesIO(b""), pid_of_reader, in_child_from=1024)) == [os.getpid()]


def test_a_large_file_is_read_in_a_child(tmp_path) -> None:
    path = tmp_path / "file.txt"
    path.write_bytes(numbered(300))
    reader = read_ahead(path, lines, in_child_from=100)
    assert isinstance(reader, ChildReader)
    assert list(reader) == [str(n) for n in range(300)]
    assert reader.result == 300


def test_the_size_counts_from_where_the_file_is_read() -> None:
    source = io.BytesIO(numbered(300))
    source.seek(len(source.getvalue()) - 10)
    assert isinstance(read_ahead(source, lines, in_child_from=100), InlineReader)
    assert source.tell() == len(source.getvalue()) - 10  # not moved


def test_an_error_in_this_process_is_the_same_error() -> None:
    with pytest.raises(NavetFormatError) as caught:
        list(read_ahead(io.BytesIO(numbered(10)), partial(lines, fail_at=3), in_child_from=1024))
    assert caught.value.line == 3


def test_the_default_limit_is_read_when_called(monkeypatch) -> None:
    """So that tests can send the importers' small files through the child."""
    monkeypatch.setattr(readahead, "IN_CHILD_FROM_BYTES", 0)
    assert isinstance(read_ahead(io.BytesIO(b"x"), lines), ChildReader)
