"""A round's explicit state, and its history (state changes, invitations withdrawn).

Existing rounds get the state their dates imply, so nothing changes for anyone: a round
not yet open becomes a draft (staff schedule it when they are ready, which sends no e-mail
before its opening date), the open one stays open, and past ones are "results published"
so that members keep seeing the network's results of the rounds they answered.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def derive_states(apps, schema_editor):
    Round = apps.get_model("surveys", "Round")
    today = django.utils.timezone.localdate()
    Round.objects.filter(opens_on__gt=today).update(state="draft")
    Round.objects.filter(opens_on__lte=today, closes_on__gte=today).update(state="open")
    Round.objects.filter(closes_on__lt=today).update(state="published")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("surveys", "0002_numbers_as_written"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="state",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("scheduled", "Scheduled"),
                    ("open", "Open"),
                    ("closed", "Closed"),
                    ("published", "Results published"),
                ],
                default="draft",
                editable=False,
                max_length=10,
                verbose_name="state",
            ),
        ),
        migrations.RunPython(derive_states, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="round",
            constraint=models.CheckConstraint(
                condition=models.Q(("state__in", ["draft", "scheduled", "open", "closed", "published"])),
                name="round_state_valid",
            ),
        ),
        migrations.CreateModel(
            name="RoundEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("scheduled", "Scheduled"),
                            ("unscheduled", "Back to draft"),
                            ("opened", "Opened"),
                            ("closed", "Closed"),
                            ("published", "Results published"),
                            ("withdrawn", "Invitation withdrawn"),
                        ],
                        max_length=12,
                        verbose_name="event",
                    ),
                ),
                ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="at")),
                ("by_scheduler", models.BooleanField(default=False, verbose_name="by the scheduler")),
                ("note", models.TextField(blank=True, verbose_name="note")),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "institution",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="accounts.memberinstitution",
                        verbose_name="member institution",
                    ),
                ),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="surveys.round",
                        verbose_name="round",
                    ),
                ),
            ],
            options={
                "verbose_name": "round event",
                "verbose_name_plural": "round events",
                "ordering": ["at", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("kind__in", ["scheduled", "unscheduled", "opened", "closed", "published", "withdrawn"])
                        ),
                        name="round_event_kind_valid",
                    )
                ],
            },
        ),
    ]
