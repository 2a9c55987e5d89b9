"""Every municipality starts with the default letters (letters/defaults.py).

They used to be made the first time somebody in the municipality opened
/letters/, which made that page write on a GET. Every municipality gets them
here instead, as every municipality gets its KAA unit (organisations 0004). A
municipality that already has letters keeps its own and gets none.
"""

from django.db import migrations

from letters.defaults import DEFAULT_TEMPLATES


def seed(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    has_letters = LetterTemplate.objects.values("municipality_id")
    LetterTemplate.objects.bulk_create(
        LetterTemplate(
            municipality=municipality,
            name=default["name"],
            purpose=str(default["purpose"]),
            subject=default["subject"],
            body=default["body"],
        )
        for municipality in Organisation.objects.filter(kind="municipality")
        .exclude(id__in=has_letters)
        .order_by("code")
        for default in DEFAULT_TEMPLATES
    )


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0002_batch_kind"),
        ("organisations", "0004_kaa_units"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
