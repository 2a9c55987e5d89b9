"""Every municipality gets its KAA and outreach unit: the law gives each one the duty."""

from django.db import migrations

NAME = "Aktivitetsansvar och uppsökande verksamhet"


def create(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    existing = set(
        Organisation.objects.filter(kind="unit", category="kaa").values_list("parent_id", flat=True)
    )
    Organisation.objects.bulk_create(
        Organisation(kind="unit", category="kaa", name=f"{NAME}, {m.name}", parent=m)
        for m in Organisation.objects.filter(kind="municipality").exclude(id__in=existing)
    )


class Migration(migrations.Migration):
    dependencies = [("organisations", "0003_units_partners_federations")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
