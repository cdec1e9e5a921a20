from django.db import migrations


def move_content_type(apps, schema_editor):
    """Wagtail's search index refers to the model by content type: keep its rows pointing at it."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label="research", model="knowledgeentry")
    if ContentType.objects.filter(app_label="search", model="knowledgeentry").exists():
        old.delete()
    else:
        old.update(app_label="search")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("research", "0004_knowledge_entry_moves_to_search"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="knowledgeentry", table=None),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
