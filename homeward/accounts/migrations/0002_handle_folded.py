import unicodedata

from django.db import migrations, models


def fill(apps, schema_editor):
    Account = apps.get_model("accounts", "Account")
    for account in Account.objects.all().only("id", "handle"):
        Account.objects.filter(pk=account.pk).update(
            handle_folded=unicodedata.normalize("NFKC", account.handle).casefold()
        )


class Migration(migrations.Migration):
    """Case-insensitive handles that hold for Cyrillic on SQLite too (its LOWER() is ASCII-only)."""

    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.RemoveConstraint(model_name="account", name="account_handle_unique_ci"),
        migrations.AddField(
            model_name="account",
            name="handle_folded",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="account",
            name="handle_folded",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
