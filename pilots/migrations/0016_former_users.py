"""Deleting an account keeps what the person did (pilots.history, portal.accounts.people).

- The change history keeps who made each change as the account's id (`history_user_id`),
  no longer as a foreign key that deleting the account would empty: the foreign key's
  constraint is dropped and the same column, with the same index, becomes a plain id.
- A stage decision no longer blocks deleting who took it (PROTECT → SET_NULL) and keeps
  their name (`decided_by_name`), filled here for the decisions already taken.

Hand-written: the autodetector would drop `history_user` and add an empty `history_user_id`.
"""

from django.conf import settings
from django.db import migrations, models

HISTORICAL = [
    "historicalinnovation",
    "historicalmeasurement",
    "historicalmfireport",
    "historicalmfireportvalue",
    "historicalmilestone",
    "historicalperiodreport",
    "historicalstagechange",
    "historicaltarget",
]


def _keep_user_id(model_name: str) -> list:
    return [
        migrations.AlterField(
            model_name=model_name,
            name="history_user",
            field=models.ForeignKey(
                db_constraint=False,
                null=True,
                on_delete=models.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name=model_name, name="history_user"),
                migrations.AddField(
                    model_name=model_name,
                    name="history_user_id",
                    field=models.BigIntegerField(blank=True, db_index=True, null=True),
                ),
            ]
        ),
    ]


def fill_decided_by_name(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    names = {
        user.pk: f"{user.first_name} {user.last_name}".strip() or user.username
        for user in User.objects.filter(pk__in=apps.get_model("pilots", "StageChange").objects.values("decided_by"))
    }
    for model_name in ("StageChange", "HistoricalStageChange"):
        model = apps.get_model("pilots", model_name)
        for user_id, name in names.items():
            model.objects.filter(decided_by_id=user_id, decided_by_name="").update(decided_by_name=name)


DECIDED_BY_NAME = models.CharField(
    blank=True,
    editable=False,
    help_text="The name of who decided, as it was when they decided; kept if their account is deleted.",
    max_length=300,
    verbose_name="decided by (name)",
)


class Migration(migrations.Migration):
    dependencies = [
        ("pilots", "0015_year_field"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        *[operation for model_name in HISTORICAL for operation in _keep_user_id(model_name)],
        migrations.AlterField(
            model_name="stagechange",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.SET_NULL,
                to=settings.AUTH_USER_MODEL,
                verbose_name="decided by",
            ),
        ),
        migrations.AddField(model_name="stagechange", name="decided_by_name", field=DECIDED_BY_NAME),
        migrations.AddField(model_name="historicalstagechange", name="decided_by_name", field=DECIDED_BY_NAME.clone()),
        migrations.RunPython(fill_decided_by_name, migrations.RunPython.noop),
    ]
