"""The hand-built data set the follow-up tests share; the expected numbers are in the tests.

The period is 2026T1 (2026-01-01 … 2026-04-30), judged on 2026-11-30. The
people, in Sundbyberg (0183) unless said otherwise:

* A — in KAA since 2025-09-16 (interrupted), reached and offered a measure in 2025;
  the measure ended in studies on 2026-03-01; occupation part-time work.
* B — interrupted upper secondary on 2026-02-09, in KAA 2026-02-10 … 2026-03-15 (back in
  school), interrupted again on 2026-04-09 and in KAA again from 2026-04-10: an
  interruption and a return in the same period. Reached on 2026-03-20 (between
  the periods: not during KAA) and on 2026-04-20.
* C — in KAA until 2025-12-31, the day before the period (boundary: not counted).
* D — enters KAA on 2026-04-30, the period's last day (boundary: counted); not reached.
* E — enters KAA on 2026-05-01, the day after (not counted).
* F — in Sundbyberg's KAA until he moves to Haninge (0136) on 2026-03-01, in Haninge's
  KAA from then: counted in both municipalities.
* J — enters 2026-01-05, reached after 15 days; offered a measure only in June.
* K — moved in 2026-03-01, declined on 2026-04-15 (contact made, 45 days).
* N — in KAA (interrupted) until he turns 20 on 2026-05-01: his period ends on 2026-04-30.
* L — interrupted on 2026-03-01 but had moved away on 2025-12-31: not a resident.
* M — interrupted komvux (not counted) and anpassad gymnasieskola (counted).
* G, H, I, Q, R — in outreach; H has a gymnasieexamen, R is 25 all through the period.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation

from casework.models import Answer, MeasureEnd, MeasureKind, Outcome
from followup.models import SeriesValue
from responsibility.models import EndReason, StartReason
from schooling.models import EndReason as SchoolEnd
from schooling.models import SchoolForm
from tests.followup import builders as b


@pytest.fixture(autouse=True)
def _in_english():
    """The tests read the English source texts, whatever the Swedish translation says."""
    with translation.override("en"):
        yield


@pytest.fixture
def client_for(client_for):
    """As everywhere, with the pages in English (the language cookie)."""

    def login(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


@pytest.fixture(autouse=True)
def _fresh_numbers():
    """Each test has its own database: the test numbers may be used again."""
    b._used.clear()


@pytest.fixture
def world(db):
    A = b.person(date(2009, 3, 1), female=True)
    b.enrol(A, date(2025, 8, 18), date(2025, 9, 15), why=SchoolEnd.AVBROTT)
    b.kaa(A, date(2025, 9, 16), why=StartReason.INTERRUPTED)
    b.contact(A, date(2025, 10, 1))
    b.offer(
        A,
        date(2025, 10, 5),
        start=date(2025, 10, 10),
        end=date(2026, 3, 1),
        end_why=MeasureEnd.STUDIES,
    )
    b.offer(
        A,
        date(2026, 4, 1),
        kind=MeasureKind.INTERNSHIP,
        start=date(2026, 4, 5),
        end=date(2026, 5, 10),
        end_why=MeasureEnd.WORK,
    )
    b.occupation(A, date(2025, 10, 1), "none")
    b.occupation(A, date(2026, 2, 1), "work_part_time")

    B = b.person(date(2009, 6, 1), female=False)
    b.enrol(B, date(2025, 8, 18), date(2026, 2, 9), why=SchoolEnd.AVBROTT)
    b.kaa(
        B,
        date(2026, 2, 10),
        date(2026, 3, 15),
        why=StartReason.INTERRUPTED,
        end_why=EndReason.STARTED_EDUCATION,
    )
    b.enrol(B, date(2026, 3, 16), date(2026, 4, 9), why=SchoolEnd.AVBROTT)
    b.kaa(B, date(2026, 4, 10), why=StartReason.INTERRUPTED)
    b.contact(B, date(2026, 2, 12), Outcome.NOT_REACHED)
    b.contact(B, date(2026, 3, 20))
    b.contact(B, date(2026, 4, 20))
    b.occupation(B, date(2026, 4, 20), "none")

    C = b.person(date(2009, 9, 1), female=True)
    b.kaa(C, date(2025, 6, 1), date(2025, 12, 31), end_why=EndReason.STARTED_EDUCATION)
    b.contact(C, date(2025, 7, 1))

    D = b.person(date(2010, 1, 15), female=True)
    b.kaa(D, date(2026, 4, 30))
    b.contact(D, date(2026, 4, 30), Outcome.NOT_REACHED)

    E = b.person(date(2010, 2, 1), female=False)
    b.kaa(E, date(2026, 5, 1))

    F = b.person(date(2009, 4, 1), female=False, resident_until=date(2026, 2, 28))
    b.kaa(F, date(2025, 10, 1), date(2026, 2, 28), end_why=EndReason.MOVED_OUT)
    b.contact(F, date(2025, 11, 1))
    b.offer(
        F,
        date(2026, 1, 15),
        kind=MeasureKind.MOTIVATIONAL,
        start=date(2026, 1, 20),
        end=date(2026, 2, 20),
        end_why=MeasureEnd.MOVED,
    )
    F_haninge = b.person(date(2009, 4, 1), code="0136", identity_number=F.identity_number)
    b.kaa(F_haninge, date(2026, 3, 1), why=StartReason.MOVED_IN)

    J = b.person(date(2010, 3, 1), female=True)
    b.kaa(J, date(2026, 1, 5))
    b.contact(J, date(2026, 1, 20))
    b.offer(J, date(2026, 6, 1), answer=Answer.PENDING)
    b.occupation(J, date(2026, 1, 20), "komvux")

    K = b.person(date(2009, 1, 10), female=False)
    b.kaa(K, date(2026, 3, 1), why=StartReason.MOVED_IN)
    b.contact(K, date(2026, 4, 15), Outcome.DECLINED)

    N = b.person(date(2006, 5, 1), female=False)
    b.kaa(
        N,
        date(2025, 11, 1),
        date(2026, 4, 30),
        why=StartReason.INTERRUPTED,
        end_why=EndReason.TURNED_20,
    )

    L = b.person(date(2009, 5, 1), female=True, resident_until=date(2025, 12, 31))
    b.enrol(L, date(2025, 8, 18), date(2026, 3, 1), why=SchoolEnd.AVBROTT)

    M = b.person(date(2005, 5, 1), female=True)
    b.enrol(M, date(2025, 8, 18), date(2026, 2, 1), form=SchoolForm.KOMVUX, why=SchoolEnd.AVBROTT)
    b.enrol(
        M,
        date(2025, 8, 18),
        date(2026, 3, 10),
        form=SchoolForm.ANPASSAD_GYMNASIESKOLA,
        why=SchoolEnd.AVBROTT,
    )

    G = b.person(date(2004, 6, 1), female=True)
    b.outreach(G, date(2026, 1, 10))
    b.enrol(G, date(2026, 3, 1), form=SchoolForm.KOMVUX)
    H = b.person(date(2003, 2, 1), female=False)
    b.enrol(H, date(2019, 8, 19), date(2022, 6, 10), why=SchoolEnd.EXAMEN)
    b.outreach(H, date(2025, 5, 1))
    I_ = b.person(date(2002, 3, 1), female=True)
    b.outreach(I_, date(2025, 9, 1))
    b.occupation(I_, date(2026, 5, 15), "komvux")
    Q = b.person(date(2001, 2, 1), female=True)
    b.outreach(Q, date(2025, 9, 1))
    b.occupation(Q, date(2026, 2, 15), "other_studies")
    R = b.person(date(2000, 12, 1), female=False)
    b.outreach(R, date(2025, 9, 1))
    b.occupation(R, date(2026, 2, 1), "komvux")

    SeriesValue.objects.create(
        series="unemployment_20_24",
        municipality=b.municipality("0183"),
        period="2026T1",
        value=Decimal("7.5"),
        source="Arbetsförmedlingen",
    )
    return {"0183": b.municipality("0183").pk, "0136": b.municipality("0136").pk}
