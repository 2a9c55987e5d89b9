"""What casework tells the apps that derive something from its rows.

Every casework action that writes contacts, occupations, measures, plans or
cases calls ``changed`` inside its transaction with the persons concerned.
The worklists keep their state per young person from those rows
(worklists.state) and listen: the state is refreshed in the same
transaction, while casework, which the worklists read, does not depend on
them.
"""

from collections.abc import Iterable

from django.dispatch import Signal

# Sent with ``person_ids``: a list of the persons whose casework changed.
casework_changed = Signal()


def changed(person_ids: Iterable[int]) -> None:
    """Tell the listeners that these persons' casework changed (call it inside the write's
    transaction, after the write)."""
    casework_changed.send(sender=None, person_ids=sorted(set(person_ids)))
