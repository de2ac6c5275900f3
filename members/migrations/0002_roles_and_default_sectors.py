from django.db import migrations

from members import roles
from members.defaults import DEFAULT_SECTORS

ROLE_GROUPS = [roles.MEMBER, roles.FACILITATOR, roles.SECRETARIAT]


def create_roles_and_sectors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Sector = apps.get_model("members", "Sector")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)
    for slug, name, group, position in DEFAULT_SECTORS:
        Sector.objects.get_or_create(
            slug=slug, defaults={"name": name, "stakeholder_group": group, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles_and_sectors, migrations.RunPython.noop)]
