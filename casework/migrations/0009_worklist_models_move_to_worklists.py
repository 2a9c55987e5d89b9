"""The worklists' models (visits, saved views, the state per young person) move
to the worklists app (docs/adr/0010). The tables are renamed and keep their
rows; worklists 0001 takes the models over without touching the database."""

from django.db import migrations

MOVED = {
    "WorklistVisit": "worklists_worklistvisit",
    "SavedView": "worklists_savedview",
    "WorklistState": "worklists_workliststate",
}


class Migration(migrations.Migration):
    dependencies = [("casework", "0008_fill_worklist_state")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name=name, table=table) for name, table in MOVED.items()
            ],
            state_operations=[migrations.DeleteModel(name=name) for name in MOVED],
        )
    ]
