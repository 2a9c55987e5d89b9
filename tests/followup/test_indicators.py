"""Every indicator on a small hand-built data set, with the expected numbers written here.

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

from casework.models import Answer, MeasureEnd, MeasureKind, Outcome
from followup import indicators
from followup.indicators.figures import Count, Distribution, Median, Share
from followup.models import SeriesValue
from followup.periods import parse_period
from responsibility.models import EndReason, StartReason
from schooling.models import EndReason as SchoolEnd
from schooling.models import SchoolForm
from tests.followup import builders as b

P = parse_period("2026T1")
AS_OF = date(2026, 11, 30)


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


def figures(world, code="0183", period=P):
    found = indicators.compute([world["0183"], world["0136"]], period, as_of=AS_OF)
    return found[world[code]]


def test_kaa_total_counts_each_person_once_and_respects_the_boundaries(world):
    # A, B (two periods), D (enters on the last day), F (moved away inside P), J, K, N.
    assert figures(world)["kaa_total"] == Count(7)
    # F again, in the municipality he moved to.
    assert figures(world, "0136")["kaa_total"] == Count(1)


def test_kaa_at_end(world):
    # A, B (second period), D, J, K, and N whose last day in KAA is the period's last day.
    assert figures(world)["kaa_at_end"] == Count(6)
    assert figures(world, "0136")["kaa_at_end"] == Count(1)


def test_contacted_share_counts_contacts_made_during_kaa(world):
    # A, B (2026-04-20, not the reach between his periods), F (before moving), J, K (declined).
    assert figures(world)["kaa_contacted_share"] == Share(5, 7)
    assert figures(world, "0136")["kaa_contacted_share"] == Share(0, 1)


def test_offered_share(world):
    # A (2025-10-05) and F (2026-01-15); J's offer comes after the period.
    assert figures(world)["kaa_offered_share"] == Share(2, 7)


def test_interruptions_of_residents_in_upper_secondary(world):
    # B twice, M in anpassad gymnasieskola; not L (moved away), not komvux, not A (2025).
    assert figures(world)["interruptions"] == Count(3)
    assert figures(world, "0136")["interruptions"] == Count(0)


def test_resumed_after_interruption(world):
    # B's first period ended when he went back to school; N's when he turned 20.
    assert figures(world)["resumed_after_interruption_share"] == Share(1, 2)


def test_outreach_resumed_studies(world):
    # G (komvux in March) and Q (studies in February, 24 until she turns 25 in P);
    # I starts only in May; H has an examen; R is 25 all through the period.
    assert figures(world)["outreach_resumed_studies_share"] == Share(2, 3)


def test_measures_to_work_or_studies(world):
    # A's first measure ended in studies, F's because he moved; A's second ends in May.
    assert figures(world)["measures_to_work_or_studies_share"] == Share(1, 2)


def test_days_to_first_contact(world):
    # Entries in P: B (never reached in that period), B again (10 days), D (not
    # reached), J (15 days), K (45 days).
    median = figures(world)["days_to_first_contact"]
    assert median == Median(((10, 1), (15, 1), (45, 1)))
    assert median.value == 15
    assert figures(world)["first_contact_within_30_days_share"] == Share(2, 5)
    assert figures(world, "0136")["first_contact_within_30_days_share"] == Share(0, 1)
    assert figures(world, "0136")["days_to_first_contact"].value is None


def test_registration_reasons_by_gender_and_age(world):
    found = figures(world)["registration_reasons"]
    assert dict(found.by_gender) == {
        ("interrupted", "male"): 2,
        ("never_started", "female"): 2,
        ("moved_in", "male"): 1,
    }
    assert dict(found.by_age) == {
        ("interrupted", "16"): 2,
        ("never_started", "16"): 2,
        ("moved_in", "17"): 1,
    }


def test_deregistration_reasons_by_gender_and_age(world):
    found = figures(world)["deregistration_reasons"]
    assert dict(found.by_gender) == {
        ("started_education", "male"): 1,
        ("moved_out", "male"): 1,
        ("turned_20", "male"): 1,
    }
    assert dict(found.by_age) == {
        ("started_education", "16"): 1,
        ("moved_out", "17"): 1,
        ("turned_20", "19"): 1,
    }


def test_occupation_at_last_contact(world):
    found = figures(world)["occupation_at_last_contact"]
    assert dict(found.by_gender) == {
        ("work", "female"): 1,  # A: part-time work since February
        ("none", "male"): 1,  # B
        ("studies", "female"): 1,  # J: komvux
        ("unknown", "female"): 1,  # D
        ("unknown", "male"): 3,  # F, K, N
    }
    assert found.value == 7


def test_unemployment_is_the_imported_figure(world):
    assert figures(world)["unemployment_20_24"].value == 7.5
    assert figures(world, "0136")["unemployment_20_24"].value is None


def test_a_period_with_nothing_gives_empty_figures(world):
    found = figures(world, period=parse_period("2019T2"))
    assert found["kaa_total"] == Count(0)
    assert found["kaa_contacted_share"] == Share(0, 0)
    assert found["kaa_contacted_share"].value is None
    assert found["registration_reasons"] == Distribution()


def test_roll_up_adds_the_municipalities(world):
    both = indicators.compute([world["0183"], world["0136"]], P, as_of=AS_OF)
    total = {
        i: indicators.total(indicators.get(i), [both[m][i] for m in both])
        for i in ("kaa_total", "kaa_contacted_share", "days_to_first_contact")
    }
    # F counts in both: each municipality had him in its responsibility.
    assert total["kaa_total"] == Count(8)
    assert total["kaa_contacted_share"] == Share(5, 8)
    assert total["days_to_first_contact"].denominator == 3


def test_each_indicator_runs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    everyone = list(b.municipality("0183").__class__.objects.values_list("pk", flat=True))
    with django_assert_max_num_queries(len(indicators.REGISTRY) + 2):
        indicators.compute(everyone, P, as_of=AS_OF)
