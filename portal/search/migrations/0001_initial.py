import modelsearch.index
from django.db import migrations, models


class Migration(migrations.Migration):
    """The knowledge index moves from the research app: its table and rows stay (state only)."""

    initial = True

    dependencies = [("research", "0003_knowledge_entry_item_id")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="KnowledgeEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.CharField(help_text="Content type and id, e.g. research:12.", max_length=60, unique=True)),
                        ("kind", models.CharField(max_length=20, verbose_name="content type")),
                        ("item_id", models.PositiveBigIntegerField(help_text="The id of the research page, innovation or lesson.")),
                        ("language", models.CharField(blank=True, help_text="Empty: shown in every language.", max_length=10)),
                        ("heading", models.CharField(max_length=300, verbose_name="title")),
                        ("body", models.TextField(blank=True, verbose_name="text")),
                        ("title", models.TextField(blank=True, help_text="The title, folded and stemmed (what is matched).")),
                        ("body_folded", models.TextField(blank=True)),
                        ("url", models.CharField(blank=True, max_length=500)),
                        ("innovation_slug", models.CharField(blank=True, max_length=200)),
                        ("innovation_id", models.PositiveBigIntegerField(blank=True, null=True, help_text="Set for innovations and lessons: visibility follows the innovation.")),
                        ("date", models.DateField(blank=True, null=True)),
                        ("year", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("countries", models.JSONField(blank=True, default=list)),
                        ("product_lines", models.JSONField(blank=True, default=list)),
                        ("stage", models.CharField(blank=True, max_length=10)),
                        ("subtype", models.CharField(blank=True, max_length=30)),
                    ],
                    options={
                        "verbose_name": "knowledge index entry",
                        "verbose_name_plural": "knowledge index entries",
                        "db_table": "research_knowledgeentry",
                    },
                    bases=(modelsearch.index.Indexed, models.Model),
                ),
            ],
            database_operations=[],
        ),
    ]
