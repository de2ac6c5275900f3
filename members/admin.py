from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from members.models import (
    Forum,
    ForumRole,
    ForumSeat,
    Invitation,
    Organisation,
    OrganisationChange,
    Sector,
    User,
)


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "stakeholder_group", "position"]
    list_filter = ["stakeholder_group"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "country", "city", "verified"]
    list_filter = ["verified", "sector__stakeholder_group", "sector", "country"]
    search_fields = ["name", "city"]
    list_select_related = ["sector"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "organisation", "is_active", "is_staff"]
    list_select_related = ["organisation"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profile"),
            {"fields": ["full_name", "organisation", "position", "preferred_language"]},
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]
    autocomplete_fields = ["organisation"]

    # Only the site administrator opens the admin (forum/urls.py); should that ever loosen,
    # no other account may still raise anyone's role here.
    ROLE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [name for name in self.ROLE_FIELDS if name not in fields]
        return fields


class ForumRoleInline(admin.TabularInline):
    model = ForumRole
    extra = 1
    autocomplete_fields = ["member"]


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    """For the site administrator: forums and who runs them."""

    list_display = ["name", "kind", "country", "region", "parent"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug", "region"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ForumRoleInline]


@admin.register(ForumSeat)
class ForumSeatAdmin(admin.ModelAdmin):
    list_display = [
        "forum",
        "member",
        "organisation",
        "stakeholder_group",
        "co_chair",
        "voting",
        "term_start",
        "term_end",
    ]
    list_filter = ["forum", "stakeholder_group", "co_chair", "voting"]
    list_select_related = ["forum", "member", "organisation"]
    autocomplete_fields = ["member", "alternate", "organisation"]


@admin.register(OrganisationChange)
class OrganisationChangeAdmin(admin.ModelAdmin):
    """The record of members' changes of organisation. They are decided in the back office
    (members.services), where the seats follow: here they are only read."""

    list_display = ["member", "organisation_before", "organisation", "status", "requested_at"]
    list_filter = ["status"]
    list_select_related = ["member", "organisation_before", "organisation"]
    search_fields = ["member__email", "member__full_name", "organisation__name"]
    readonly_fields = [
        "member",
        "organisation_before",
        "organisation",
        "requested_at",
        "status",
        "decided_at",
        "decided_by",
        "reason",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read only for the site administrator: the forum's secretariat sends, resends and
    revokes from its back office (/manage/<forum>/invitations/), through the services."""

    list_display = ["name", "email", "forum", "organisation", "sent_at", "expires_at"]
    list_filter = ["forum"]
    list_select_related = ["forum", "organisation"]
    search_fields = ["name", "email"]
    exclude = ["nonce"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
