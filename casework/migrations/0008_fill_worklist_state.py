"""Once: make the worklists' state from the casework already recorded.

This migration called the application's live code, which a migration must
not: the code changes, the migration's schema does not. The state is derived
data, so it is now made after migrating instead: worklists.state
``fill_after_migrate`` (a post_migrate receiver) rebuilds it whenever casework
exists and the state is empty, which is the case exactly once, for a database
that had casework before this migration.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("casework", "0007_worklist_state")]

    operations = []
