"""Every indicator on the hand-built data set of conftest.py, with the expected numbers.

The period is 2026T1 (2026-01-01 … 2026-04-30), judged on 2026-11-30; conftest.py
describes each person.
"""

from datetime import date

from followup import indicators
from followup.indicators.figures import Count, Distribution, Median, Share
from followup.periods import parse_period
from tests.followup import builders as b

P = parse_period("2026T1")
AS_OF = date(2026, 11, 30)


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
    # One query an indicator or less (the median and the 30-day share share theirs),
    # plus the occupation kinds' codes, the transaction's savepoint and its release
    # and, on PostgreSQL, switching JIT off.
    with django_assert_max_num_queries(len(indicators.REGISTRY) + 3):
        indicators.compute(everyone, P, as_of=AS_OF)
