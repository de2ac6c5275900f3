"""What the apps' admin classes share."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from core.errors import ForumError


class ServiceErrorsAdmin(admin.ModelAdmin):
    """An admin whose saves go through the services: a refusal (`ForumError`) rolls the
    save back and shows the form again, with what was typed and the service's message
    above it, instead of a server error. A refused deletion is a message too."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            # Django runs the view in a transaction: the refusal rolls back what was saved.
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ForumError as error:
            request._service_refusal = error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_service_refusal", None)
        if refusal is None:
            return form

        class RefusedForm(form):
            def clean(self):
                super().clean()
                raise ValidationError(refusal.message)

        return RefusedForm

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ForumError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
