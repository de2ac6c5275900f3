import django_filters
from django import forms
from django.core.validators import slug_re
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from members.models import Forum, Organisation, Sector, StakeholderGroup


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    stakeholder_group = django_filters.ChoiceFilter(
        field_name="sector__stakeholder_group",
        label=_("Stakeholder group"),
        choices=StakeholderGroup.choices,
        empty_label=_("Both groups"),
    )
    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.all(), label=_("Sector"), empty_label=_("Every sector")
    )
    country = django_filters.ChoiceFilter(
        choices=list(countries), label=_("Country"), empty_label=_("Every country")
    )

    class Meta:
        model = Organisation
        fields = ["q", "stakeholder_group", "sector", "country"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(city__icontains=value) | Q(description__icontains=value)
        )


class ForumSlugChoiceField(django_filters.fields.ModelChoiceField):
    """A forum by its short name: what cannot be one (a NUL byte, a space) is refused like
    an unknown one, before it reaches the database (PostgreSQL refuses a NUL byte with an
    error of its own)."""

    def to_python(self, value):
        if value not in self.empty_values and not slug_re.fullmatch(str(value)):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class ForumFilter(django_filters.ModelChoiceFilter):
    """`?forum=<slug>`: the lists of every app above members (workshops, processes, plans,
    commitments, events) narrowed to one forum. `field_name` is the path to the forum
    (e.g. "process__forum"); an unknown slug is refused with the field's message (a 400 in
    the API)."""

    field_class = ForumSlugChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Forum.objects.order_by("name", "pk"))
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("label", _("Forum"))
        kwargs.setdefault("empty_label", _("All forums"))
        super().__init__(*args, **kwargs)
