from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models import Q
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
    app's permissions exist (after migrate; the models of the migrated state). Migrate and
    flush send post_migrate once per app, in the order of INSTALLED_APPS: the groups are
    set once, after the last app's (each app's permissions are made on its own signal)."""
    last = [c.label for c in global_apps.get_app_configs() if c.models_module is not None][-1]
    if sender is not None and sender.label != last:
        return
    Group = apps.get_model("auth", "Group")  # noqa: N806 - a model class
    Permission = apps.get_model("auth", "Permission")  # noqa: N806 - a model class
    for role, grants in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        wanted = Q(pk__in=[])
        for app, model, actions in grants:
            codenames = [f"{action}_{model}" for action in actions]
            wanted |= Q(content_type__app_label=app, codename__in=codenames)
        group.permissions.set(Permission.objects.using(using).filter(wanted))
