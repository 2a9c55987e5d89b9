"""The worklists' models, moved from casework (see casework 0009)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import samverka.fields


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("casework", "0009_worklist_models_move_to_worklists"),
        ("organisations", "0004_kaa_units"),
        ("people", "0003_tenant_column_without_constraint"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The tables exist already: casework 0009 renamed them. Only Django's idea
    # of which app owns them changes.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="WorklistState",
                    fields=[
                        (
                            "person",
                            samverka.fields.RowidOneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="worklist_state",
                                serialize=False,
                                to="people.person",
                            ),
                        ),
                        ("last_contact_at", models.DateTimeField(null=True)),
                        ("last_reached_on", models.DateField(null=True)),
                        ("attempt_days", models.JSONField(default=list)),
                        ("attempts_after_reach", models.PositiveIntegerField(default=0)),
                        ("last_offered_on", models.DateField(null=True)),
                        ("due_on", models.DateField(null=True)),
                        ("occupation_unknown", models.BooleanField(default=False)),
                        ("occupation_review_by", models.DateField(null=True)),
                        ("occupation_recorded_on", models.DateField(null=True)),
                        ("case_closed_on", models.DateField(null=True)),
                        (
                            "handler",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "municipality",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="organisations.organisation",
                            ),
                        ),
                        (
                            "occupation_kind",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="casework.occupationkind",
                            ),
                        ),
                    ],
                ),
                migrations.CreateModel(
                    name="SavedView",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=60, verbose_name="name")),
                        ("worklist", models.CharField(max_length=40)),
                        ("query", models.CharField(blank=True, max_length=500)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="saved_views",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["name"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "name"), name="saved_view_name_unique"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="WorklistVisit",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("worklist", models.CharField(max_length=40)),
                        ("previous_visit", models.DateTimeField(blank=True, null=True)),
                        ("last_visit", models.DateTimeField()),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "worklist"), name="one_visit_per_list"
                            )
                        ],
                    },
                ),
            ]
        )
    ]
