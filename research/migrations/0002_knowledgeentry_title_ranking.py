from django.db import migrations, models


class Migration(migrations.Migration):
    """Store the folded title in `title`: the Wagtail database backend ranks "title" fields first."""

    dependencies = [("research", "0001_initial")]

    operations = [
        migrations.RenameField(model_name="knowledgeentry", old_name="title", new_name="heading"),
        migrations.RenameField(model_name="knowledgeentry", old_name="title_folded", new_name="title"),
        migrations.AlterField(
            model_name="knowledgeentry",
            name="title",
            field=models.TextField(blank=True, help_text="The title, folded and stemmed (what is matched)."),
        ),
    ]
