# The app's first migration: each section adds its own tables in the migrations that follow.
from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    dependencies: list = []

    operations: list = []
