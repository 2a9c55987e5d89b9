from django.db import migrations


def fill(apps, schema_editor):
    """Make the worklists' state from the casework already recorded.

    Calls the application's own rebuild (casework.state) rather than a frozen
    copy: the state is derived data, defined in one place. Should a later
    migration change WorklistState, make this a no-op and rebuild after that
    one instead (manage.py rebuild_worklist_state does the same at any time).
    """
    Contact = apps.get_model("casework", "Contact")
    Occupation = apps.get_model("casework", "Occupation")
    PersonMeasure = apps.get_model("casework", "PersonMeasure")
    Plan = apps.get_model("casework", "Plan")
    Case = apps.get_model("casework", "Case")
    if not any(m.objects.exists() for m in (Contact, Occupation, PersonMeasure, Plan, Case)):
        return  # a new installation: nothing to derive
    from casework import state

    state.rebuild()


class Migration(migrations.Migration):
    dependencies = [("casework", "0007_worklist_state")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
