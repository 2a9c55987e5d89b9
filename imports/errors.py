class ImportFailed(Exception):
    """The file was rejected: nothing of it is stored.

    ``rejections`` holds (line, post, message) for each rejected post or line.
    """

    def __init__(self, message: str, rejections: list[tuple[int | None, int | None, str]]):
        super().__init__(message)
        self.message = message
        self.rejections = rejections


class Counts:
    """What one import did, post by post (or line by line)."""

    def __init__(self) -> None:
        self.created = 0
        self.changed = 0
        self.unchanged = 0
        self.skipped = 0
        self.responsibility_changed = 0
        self.analyzed = False
        self.notes: list[str] = []
