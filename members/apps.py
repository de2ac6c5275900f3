from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from members.roles import ROLE_PERMISSIONS


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        post_migrate.connect(role_permissions_sync, dispatch_uid="members.role_permissions")


def role_permissions_sync(sender=None, using="default", apps=global_apps, **kwargs):
    """Give each role group exactly the permissions listed in members.roles, once every
    app's permissions exist (after migrate; the models of the migrated state)."""
    Group = apps.get_model("auth", "Group")  # noqa: N806 - a model class
    Permission = apps.get_model("auth", "Permission")  # noqa: N806 - a model class
    for role, grants in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        wanted = [
            Permission.objects.using(using)
            .filter(content_type__app_label=app, codename=f"{action}_{model}")
            .first()
            for app, model, actions in grants
            for action in actions
        ]
        group.permissions.set([permission for permission in wanted if permission is not None])
