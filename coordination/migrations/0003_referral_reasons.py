"""The reasons for a referral every municipality starts with, and the schools' 15:15 notices."""

from django.db import migrations

# code, name, school report (skollagen 15 kap. 15 §)
REASONS = [
    ("work", "Arbete, praktik eller arbetsmarknadsinsats", False),
    ("studies", "Studier (gymnasiet, komvux eller folkhögskola)", False),
    ("guidance", "Studie- och yrkesvägledning", False),
    ("social_support", "Stöd från socialtjänsten", False),
    ("health_care", "Kontakt med hälso- och sjukvården", False),
    ("social_insurance", "Frågor om ersättning eller aktivitetsstöd", False),
    ("kaa_follow_up", "Uppföljning inom aktivitetsansvaret", False),
    ("other", "Annat", False),
    ("school_interruption", "Avbrott i gymnasieutbildningen (skollagen 15 kap. 15 §)", True),
    ("school_absence", "Betydande frånvaro (skollagen 15 kap. 15 §)", True),
]


def seed(apps, schema_editor):
    ReferralReason = apps.get_model("coordination", "ReferralReason")
    for order, (code, name, school_report) in enumerate(REASONS, start=1):
        ReferralReason.objects.update_or_create(
            code=code,
            defaults={"name": name, "order": order * 10, "school_report": school_report},
        )


def unseed(apps, schema_editor):
    apps.get_model("coordination", "ReferralReason").objects.filter(
        code__in=[code for code, _name, _school in REASONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("coordination", "0002_referrals")]

    operations = [migrations.RunPython(seed, unseed)]
