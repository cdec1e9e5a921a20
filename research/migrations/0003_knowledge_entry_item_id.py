from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("research", "0002_knowledgeentry_title_ranking"),
    ]

    operations = [
        migrations.RenameField(model_name="knowledgeentry", old_name="object_id", new_name="item_id"),
        migrations.AlterField(
            model_name="knowledgeentry",
            name="item_id",
            field=models.PositiveBigIntegerField(help_text="The id of the research page, innovation or lesson."),
        ),
    ]
