import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    """Comments written before keep their author's organisation and group as they are now
    (the best record there is); from now on, as they were when the comment was written."""
    ConsultationComment = apps.get_model("actionplans", "ConsultationComment")
    for comment in ConsultationComment.objects.filter(
        author__isnull=False, organisation__isnull=True
    ).select_related("author__organisation__sector"):
        organisation = comment.author.organisation
        if organisation is None:
            continue
        comment.organisation = organisation
        comment.stakeholder_group = organisation.sector.stakeholder_group or ""
        comment.save(update_fields=["organisation", "stakeholder_group"])


class Migration(migrations.Migration):
    dependencies = [
        ("actionplans", "0006_plan_pdf_commitment_per_page"),
        ("members", "0010_organisation_change"),
    ]

    operations = [
        migrations.AddField(
            model_name="consultationcomment",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                help_text="The author's organisation when they wrote the comment.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="consultation_comments",
                to="members.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AddField(
            model_name="consultationcomment",
            name="stakeholder_group",
            field=models.CharField(
                blank=True,
                choices=[("government", "Government"), ("non_government", "Non-government")],
                help_text="The author's stakeholder group when they wrote the comment.",
                max_length=20,
                verbose_name="stakeholder group",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
