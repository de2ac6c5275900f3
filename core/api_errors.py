"""The API's answer to a service's refusal. Apart from core/api_base.py, which DRF imports
while its views module is still being imported: this module imports that module."""

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ForumError


def exception_handler(exc, context):
    """DRF's handler, plus the portal's one error base: a service's refusal is answered
    with its message in `detail`, 403 when the member may not, 400 when it cannot be done
    now."""
    if isinstance(exc, ForumError):
        return Response({"detail": exc.message}, status=exc.status_code)
    return drf_exception_handler(exc, context)
