from django.conf import settings
from django.utils.functional import SimpleLazyObject


def portal(request):
    def unread():
        from forum.notifications.selectors import unread_count

        user = getattr(request, "user", None)
        return unread_count(user=user) if user is not None and user.is_authenticated else 0

    # Lazy: the query runs only on pages that show the count.
    return {"SITE_NAME": settings.SITE_NAME, "unread_notifications": SimpleLazyObject(unread)}
