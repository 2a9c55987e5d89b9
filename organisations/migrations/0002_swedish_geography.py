"""The nation, its 21 counties and 290 municipalities, from data/geo (SCB codes)."""

import csv
from pathlib import Path

from django.db import migrations

GEO = Path(__file__).resolve().parents[2] / "data" / "geo"


def load(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    nation, _ = Organisation.objects.get_or_create(
        kind="nation", code="SE", defaults={"name": "Sverige"}
    )
    counties = {}
    with open(GEO / "counties.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            counties[row["county_code"]], _ = Organisation.objects.get_or_create(
                kind="county",
                code=row["county_code"],
                defaults={"name": row["county_name"], "parent": nation},
            )
    with open(GEO / "municipalities.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            Organisation.objects.get_or_create(
                kind="municipality",
                code=row["municipality_code"],
                defaults={"name": row["municipality_name"], "parent": counties[row["county_code"]]},
            )


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
