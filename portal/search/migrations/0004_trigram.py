from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm for "did you mean" on PostgreSQL (a trusted extension; nothing happens on SQLite)."""

    dependencies = [("search", "0003_documents_per_language")]

    operations = [TrigramExtension()]
