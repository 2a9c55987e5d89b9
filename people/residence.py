"""Residence periods from Navet's folkbokföring, kept as a history.

Navet sends a person's current folkbokföring (and sometimes earlier ones in
Historik). We never overwrite what we knew: a new Folkbokforingsdatum with
another municipality is a move and starts a new period; a deregistration ends
the open period; a return after a deregistration starts a new one.
"""

from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, order=True)
class Stay:
    start: date
    end: date | None  # last day, inclusive
    municipality_code: str


def merge(
    existing: list[Stay],
    reported: list[tuple[date, str]],
    deregistered_on: date | None,
) -> list[Stay]:
    """The residence history after applying one Navet post.

    ``reported`` holds (folkbokförd since, municipality code) from the post's
    history and current folkbokföring; ``deregistered_on`` its deregistration.
    """
    stays = sorted(existing)
    known = {(s.start, s.municipality_code) for s in stays}
    for since, code in sorted(set(reported)):
        if (since, code) in known:
            continue
        later = [s.start for s in stays if s.start > since]
        end = min(later) - ONE_DAY if later else None
        stays = [
            Stay(s.start, since - ONE_DAY, s.municipality_code)
            if s.start < since and (s.end is None or s.end >= since)
            else s
            for s in stays
        ]
        stays.append(Stay(since, end, code))
        stays.sort()
        known.add((since, code))

    if deregistered_on is not None:
        last_day = deregistered_on - ONE_DAY
        stays = [
            Stay(s.start, last_day, s.municipality_code)
            if s.start <= last_day and (s.end is None or s.end > last_day)
            else s
            for s in stays
            if s.start <= last_day
        ]
    elif stays and reported:
        # Still (or again) folkbokförd: the stay Navet reports as current is open.
        current_start = max(since for since, _code in reported)
        stays = [
            Stay(s.start, None, s.municipality_code) if s.start == current_start else s
            for s in stays
        ]
    return stays
