from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(role_permissions_sync, dispatch_uid="members.role_permissions")


def role_permissions_sync(sender=None, using="default", **kwargs):
    """Give each role group exactly the permissions listed in members.roles, once every
    app's permissions exist (after migrate)."""
    from django.contrib.auth.models import Group, Permission

    from members.roles import ROLE_PERMISSIONS

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
