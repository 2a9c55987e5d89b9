"""Readers for the files schools send to Samverka.

Three formats are read, all without Django so that the readers can be used and
tested on their own:

* an enrolment CSV: one row per enrolment (inskrivning) at a school unit;
* a notification CSV: the notifications a school sends to the home
  municipality under skollagen 15 kap. 15 § (started, left, absence);
* an SS12000 JSON document of persons with their enrolments, as exported by
  school administration systems (Skolverket's interpretation of SS12000).

Every problem in a file raises ``SchoolFileError`` with a message that says
what is wrong and where (a physical line, or a person's position), so the
message can be shown to the person who uploaded the file as it is.

``source`` is a path (``str`` or ``os.PathLike``) or a binary file object
(anything with a ``read(size)`` method returning bytes). A file opened here is
closed here; a file object passed in is left open for the caller.
"""

from .common import END_REASONS, NOTIFICATION_EVENTS, SCHOOL_FORMS, SchoolFileError
from .csv_files import (
    ENROLMENT_COLUMNS,
    NOTIFICATION_COLUMNS,
    EnrolmentRow,
    NotificationRow,
    read_enrolment_csv,
    sniff_school_file,
)
from .ss12000 import SS12000_SCHOOL_TYPES, Ss12000Enrolment, Ss12000Person, read_ss12000_persons

__all__ = [
    "SCHOOL_FORMS",
    "END_REASONS",
    "NOTIFICATION_EVENTS",
    "ENROLMENT_COLUMNS",
    "NOTIFICATION_COLUMNS",
    "SS12000_SCHOOL_TYPES",
    "EnrolmentRow",
    "NotificationRow",
    "Ss12000Enrolment",
    "Ss12000Person",
    "SchoolFileError",
    "read_enrolment_csv",
    "read_ss12000_persons",
    "sniff_school_file",
]
