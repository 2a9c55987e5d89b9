"""The occupation code list every municipality starts with; administrators may add more."""

from django.db import migrations

KINDS = [
    ("upper_secondary", "Gymnasiestudier"),
    ("komvux", "Komvux"),
    ("folkhogskola", "Folkhögskola"),
    ("other_studies", "Andra studier"),
    ("work_full_time", "Arbete, heltid"),
    ("work_part_time", "Arbete, deltid"),
    ("internship", "Praktik"),
    ("employment_service_programme", "Program hos Arbetsförmedlingen"),
    ("other_activity", "Annan aktivitet"),
    ("none", "Ingen sysselsättning"),
    ("unknown", "Okänd"),
]


def seed(apps, schema_editor):
    OccupationKind = apps.get_model("casework", "OccupationKind")
    for order, (code, name) in enumerate(KINDS, start=1):
        OccupationKind.objects.update_or_create(
            code=code, defaults={"name": name, "order": order * 10}
        )


def unseed(apps, schema_editor):
    apps.get_model("casework", "OccupationKind").objects.filter(
        code__in=[code for code, _name in KINDS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
