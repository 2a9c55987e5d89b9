"""The default codes of the KAA statistics file, from domain.md §3.

SCB's exact code list is not public to us: these follow the published
categories and an administrator changes them at /followup/kaa-statistics/codes/.
The values are copied here (not imported) so the migration stays as written.
"""

from django.db import migrations

REGISTRATION = [
    ("interrupted", "1", "Avbrott på gymnasieprogram"),
    ("studiebevis", "2", "Lämnat gymnasieskolan med studiebevis"),
    ("never_started", "3", "Aldrig studerat på gymnasial nivå"),
    ("arrived_after_compulsory_age", "3", "Aldrig studerat på gymnasial nivå"),
    ("moved_in", "9", "Okänd"),
    ("introduction_programme", "9", "Okänd"),
    ("rule_change", "9", "Okänd"),
]
FIRST_MEASURE = [
    ("introduction_programme", "1", "Introduktionsprogram"),
    ("guidance", "2", "Studie- och yrkesvägledning"),
    ("motivational", "3", "Annan åtgärd"),
    ("internship", "3", "Annan åtgärd"),
    ("komvux", "3", "Annan åtgärd"),
    ("folkhogskola", "3", "Annan åtgärd"),
    ("job_matching", "3", "Annan åtgärd"),
    ("health_care", "3", "Annan åtgärd"),
    ("social_services", "3", "Annan åtgärd"),
    ("lss", "3", "Annan åtgärd"),
    ("other", "3", "Annan åtgärd"),
]
OCCUPATION = [
    ("work_full_time", "1", "Arbete"),
    ("work_part_time", "1", "Arbete"),
    ("upper_secondary", "2", "Studier"),
    ("komvux", "2", "Studier"),
    ("folkhogskola", "2", "Studier"),
    ("other_studies", "2", "Studier"),
    ("none", "3", "Ingen sysselsättning"),
    ("internship", "4", "Annan sysselsättning"),
    ("employment_service_programme", "4", "Annan sysselsättning"),
    ("other_activity", "4", "Annan sysselsättning"),
    ("unknown", "9", "Okänd"),
]
DEREGISTRATION = [
    ("turned_20", "1", "Fyllt 20 år"),
    ("started_education", "2", "Påbörjat gymnasieutbildning eller motsvarande"),
    ("completed", "3", "Fullföljt med examen eller gymnasiebevis"),
    ("moved_out", "4", "Inte längre folkbokförd i kommunen"),
    ("died", "4", "Inte längre folkbokförd i kommunen"),
    ("emigrated", "4", "Inte längre folkbokförd i kommunen"),
    ("deregistered", "4", "Inte längre folkbokförd i kommunen"),
    ("rule_change", "5", "Övrigt"),
    ("no_longer_meets_conditions", "5", "Övrigt"),
]
YES_NO = [("yes", "J", "Ja"), ("no", "N", "Nej")]

DEFAULTS = {
    "registration_reason": REGISTRATION,
    "first_measure": FIRST_MEASURE,
    "occupation": OCCUPATION,
    "deregistration_reason": DEREGISTRATION,
    "yes_no": YES_NO,
}


def load(apps, schema_editor):
    StatisticsCode = apps.get_model("followup", "StatisticsCode")
    StatisticsCode.objects.bulk_create(
        StatisticsCode(variable=variable, value=value, code=code, label=label)
        for variable, rows in DEFAULTS.items()
        for value, code, label in rows
    )


def unload(apps, schema_editor):
    apps.get_model("followup", "StatisticsCode").objects.filter(municipality=None).delete()


class Migration(migrations.Migration):
    dependencies = [("followup", "0001_series_aggregates_codes_targets")]

    operations = [migrations.RunPython(load, unload)]
