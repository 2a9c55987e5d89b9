"""The commands: indicators, import_series, export_aggregates and import_aggregates."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from followup.models import AggregateValue, SeriesValue
from organisations.models import Municipality, Organisation


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def indicators_json(*scope, period="2026T1") -> dict:
    return json.loads(run("indicators", *scope, "--period", period, "--as-of", "2026-11-30"))


def test_indicators_prints_the_issue_s_json(world):
    found = indicators_json("--municipality", "0183")
    assert found["kaa_total"] == {"value": 7}
    assert found["kaa_contacted_share"] == {"numerator": 5, "denominator": 7, "value": 0.7143}
    assert found["interruptions"] == {"value": 3}
    assert found["days_to_first_contact"] == {"value": 15, "denominator": 3}
    assert found["unemployment_20_24"] == {"value": 7.5}
    assert found["registration_reasons"]["value"] == 5
    assert {"category": "interrupted", "gender": "male", "value": 2} in found[
        "registration_reasons"
    ]["by_gender"]


def test_indicators_as_a_table(world):
    text = run(
        "indicators",
        "--municipality",
        "0183",
        "--period",
        "2026T1",
        "--format",
        "table",
        "--as-of",
        "2026-11-30",
    )
    assert "kaa_contacted_share" in text
    assert "0.7143" in text


def test_a_roll_up_is_suppressed(world):
    # Stockholm county: Sundbyberg's 7 and Haninge's 1 (F, who moved there).
    found = indicators_json("--county", "01")
    assert found["interruptions"] == {"value": "<5"}
    assert found["kaa_offered_share"] == {"numerator": "<5", "denominator": "..", "value": None}
    # The 8 in KAA are also the total of the occupations: work 1, studies 1, none 1,
    # unknown 5. With the 8 shown, the three "<5" could only be 1 each: it is hidden.
    assert found["kaa_total"] == {"value": ".."}
    occupations = found["occupation_at_last_contact"]
    assert occupations["value"] == ".."
    assert {c["value"] for c in occupations["by_gender"]} <= {"<5", ".."}
    nation = indicators_json("--nation")
    assert nation["kaa_total"] == {"value": ".."}
    assert nation["kaa_at_end"] == {"value": 7}


def test_a_forbund_by_name(world):
    forbund = Organisation.objects.create(
        kind=Organisation.Kind.SAMORDNINGSFORBUND, name="Samordningsförbundet Östra Södertörn"
    )
    forbund.member_municipalities.set(Municipality.objects.filter(code__in=["0136", "0192"]))
    found = indicators_json("--samordningsforbund", "Östra Södertörn")
    assert found["kaa_total"] == {"value": "<5"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--municipality", "0183", "--period", "2026T4"], "is not a period"),
        (["--municipality", "9999", "--period", "2026T1"], "Unknown municipality"),
        (["--county", "99", "--period", "2026T1"], "Unknown county"),
        (["--samordningsforbund", "Ingen", "--period", "2026"], "No samordningsförbund"),
    ],
)
def test_indicators_bad_input(db, args, message):
    with pytest.raises(CommandError, match=message):
        run("indicators", *args)


# import_series --------------------------------------------------------------------------


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_series_is_all_or_nothing_and_idempotent(db, tmp_path):
    good = write(
        tmp_path,
        "au.csv",
        "municipality_code,period,value,source\n"
        "0183,2026T1,7.5,Arbetsförmedlingen\n"
        '0183,2026T2,"6,9",Arbetsförmedlingen\n'
        "0136,2026T1,8.1,Arbetsförmedlingen\n",
    )
    assert "3 new, 0 changed, 0 unchanged" in run("import_series", good)
    assert "0 new, 0 changed, 3 unchanged" in run("import_series", good)
    assert SeriesValue.objects.get(period="2026T2").value == Decimal("6.9")
    changed = write(
        tmp_path, "au2.csv", "municipality_code,period,value,source\n0183,2026T1,7.0,AF\n"
    )
    assert "0 new, 1 changed, 0 unchanged" in run("import_series", changed)
    assert AuditEvent.objects.filter(action="followup.series_import").count() == 3


def test_import_series_names_each_bad_line_and_stores_nothing(db, tmp_path):
    bad = write(
        tmp_path,
        "bad.csv",
        "municipality_code,period,value,source\n"
        "0183,2026T1,7.5,AF\n"
        "9999,2026T1,7.5,AF\n"
        "0136,2026T4,x,\n"
        "0183,2026T1,7.6,AF\n"
        "0183,2026T2\n",
    )
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was stored"):
        call_command("import_series", bad, stdout=StringIO(), stderr=err)
    messages = err.getvalue()
    assert "Line 3: unknown municipality code '9999'." in messages
    assert "Line 4:" in messages and "is not a period" in messages
    assert "is not a number" in messages and "the source is empty" in messages
    assert "Line 5: 0183 2026T1 is already given on line 2." in messages
    assert "Line 6: expected 4 fields, found 2." in messages
    assert not SeriesValue.objects.exists()


def test_import_series_wants_the_header(db, tmp_path):
    bad = write(tmp_path, "bad.csv", "kommun,period,värde\n0183,2026T1,7\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_series", bad, stdout=StringIO(), stderr=err)
    assert "Line 1: the header must be municipality_code,period,value,source." in err.getvalue()


# export_aggregates and import_aggregates ----------------------------------------------------------


def export(tmp_path, *args) -> dict:
    out = tmp_path / "out.json"
    run("export_aggregates", *args, "--out", str(out), "--as-of", "2026-11-30")
    return json.loads(out.read_text())


def values_of(document, org_unit="0183"):
    return {
        (v["dataElement"], v["categoryOptionCombo"]): v["value"]
        for v in document["dataValues"]
        if v["orgUnit"] == org_unit
    }


def test_export_is_a_suppressed_data_value_set(world, tmp_path):
    document = export(tmp_path, "--municipality", "0183", "--period", "2026T1")
    assert document["dataSet"] == "samverka-kaa-followup"
    found = values_of(document)
    assert found[("kaa_total", "default")] == "7"
    assert found[("kaa_contacted_share", "numerator")] == "5"
    assert found[("kaa_contacted_share", "denominator")] == "7"
    # 3 interruptions, 2 offered: counts 1–4 never leave the municipality.
    assert ("interruptions", "default") not in found
    assert ("kaa_offered_share", "numerator") not in found
    # The median of 3 is not shown, like a share of fewer than 10.
    assert ("days_to_first_contact", "median") not in found
    assert {v["period"] for v in document["dataValues"]} == {"2026T1"}
    assert AuditEvent.objects.filter(action="followup.aggregate_export").count() == 1


def test_half_years_and_years_use_dhis2_periods(world, tmp_path):
    document = export(tmp_path, "--municipality", "0183", "--period", "2026H1", "--period", "2026")
    assert {v["period"] for v in document["dataValues"]} == {"2026S1", "2026"}


def test_a_date_range_cannot_be_exported(db, tmp_path):
    with pytest.raises(CommandError, match="not for 2026-01-01..2026-02-01"):
        run("export_aggregates", "--municipality", "0183", "--period", "2026-01-01..2026-02-01")


def test_imported_aggregates_replace_the_local_figures_in_roll_ups(world, tmp_path):
    document = {
        "dataSet": "samverka-kaa-followup",
        "dataValues": [
            {"dataElement": "kaa_total", "period": "2026T1", "orgUnit": "0136", "value": "40"},
            {
                "dataElement": "kaa_contacted_share",
                "period": "2026T1",
                "orgUnit": "0136",
                "categoryOptionCombo": "numerator",
                "value": "30",
            },
            {
                "dataElement": "kaa_contacted_share",
                "period": "2026T1",
                "orgUnit": "0136",
                "categoryOptionCombo": "denominator",
                "value": "40",
            },
        ],
    }
    path = write(tmp_path, "haninge.json", json.dumps(document))
    assert "3 new, 0 changed, 0 unchanged" in run("import_aggregates", path)
    assert "0 new, 0 changed, 3 unchanged" in run("import_aggregates", path)
    found = indicators_json("--county", "01")
    assert found["kaa_total"] == {"value": 47}  # Sundbyberg's 7 + Haninge's 40
    assert found["kaa_contacted_share"] == {"numerator": 35, "denominator": 47, "value": 0.7447}
    # What Haninge did not send is unknown, and so is the county's total.
    assert found["interruptions"] == {"value": None}


def test_export_then_import_round_trip(world, tmp_path):
    document = export(tmp_path, "--municipality", "0183", "--period", "2026H1")
    path = write(tmp_path, "sundbyberg.json", json.dumps(document))
    run("import_aggregates", path)
    stored = AggregateValue.objects.filter(period="2026H1")
    assert stored.count() == len(document["dataValues"])
    assert {(a.indicator, a.component): str(a.value.normalize()) for a in stored} == values_of(
        document
    )
    # From now on this instance takes Sundbyberg's 2026H1 figures from the file: what
    # suppression left out of it is unknown.
    again = indicators_json("--municipality", "0183", period="2026H1")
    exported = values_of(document)
    assert again["kaa_at_end"]["value"] == int(exported[("kaa_at_end", "default")])
    assert ("kaa_total", "default") not in exported
    assert again["kaa_total"]["value"] is None


def test_import_aggregates_names_each_bad_value_and_stores_nothing(db, tmp_path):
    document = {
        "dataValues": [
            {"dataElement": "kaa_total", "period": "2026S1", "orgUnit": "0183", "value": "12"},
            {"dataElement": "nonsense", "period": "2026S1", "orgUnit": "0183", "value": "1"},
            {"dataElement": "kaa_total", "period": "202601", "orgUnit": "0183", "value": "1"},
            {"dataElement": "kaa_total", "period": "2026", "orgUnit": "9999", "value": "-1"},
            {"dataElement": "kaa_total", "period": "2026S1", "orgUnit": "0183", "value": "13"},
            {
                "dataElement": "kaa_offered_share",
                "period": "2026",
                "orgUnit": "0183",
                "categoryOptionCombo": "numerator",
                "value": "12",
            },
            {
                "dataElement": "kaa_offered_share",
                "period": "2026",
                "orgUnit": "0183",
                "categoryOptionCombo": "denominator",
                "value": "10",
            },
            {
                "dataElement": "kaa_total",
                "period": "2026",
                "orgUnit": "0183",
                "categoryOptionCombo": "numerator",
                "value": "10",
            },
        ]
    }
    path = write(tmp_path, "bad.json", json.dumps(document))
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was stored"):
        call_command("import_aggregates", path, stdout=StringIO(), stderr=err)
    messages = err.getvalue()
    assert "Data value 2: unknown dataElement 'nonsense'." in messages
    assert "Data value 3:" in messages and "202601 is not a period" in messages
    assert "Data value 4: unknown orgUnit '9999'" in messages
    assert "must be a whole number of at least 0" in messages
    assert "Data value 5: the same figure as data value 1." in messages
    assert "the numerator is larger than the denominator" in messages
    assert "categoryOptionCombo 'numerator' does not belong to kaa_total" in messages
    assert not AggregateValue.objects.exists()


def test_import_aggregates_refuses_what_is_not_a_data_value_set(db, tmp_path):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_aggregates", write(tmp_path, "x.json", "{oops"), stdout=StringIO(), stderr=err
        )
    assert "The file is not JSON" in err.getvalue()
    with pytest.raises(CommandError):
        call_command(
            "import_aggregates", write(tmp_path, "y.json", "[]"), stdout=StringIO(), stderr=err
        )
    assert "it has no dataValues list" in err.getvalue()
