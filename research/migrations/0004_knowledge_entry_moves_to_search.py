from django.db import migrations


class Migration(migrations.Migration):
    """The knowledge index now belongs to portal.search (search 0001): forget it here, keep the table."""

    dependencies = [
        ("research", "0003_knowledge_entry_item_id"),
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="KnowledgeEntry")],
            database_operations=[],
        ),
    ]
