from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_forum_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="membership_reply",
            field=models.TextField(
                blank=True,
                help_text="The member's answer to the secretariat's question.",
                verbose_name="answer to the secretariat",
            ),
        ),
    ]
