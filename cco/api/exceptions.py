"""One exception handler for the whole API, so every error has the same shape (docs/api.md):

    {"detail": "One sentence for a person.", "code": "invalid", "errors": {"field": ["message", ...]}}

`errors` is empty except for 400s, where it names each field (nested fields as `links.0.strength`, errors
about the request as a whole under `non_field_errors`). Services raise Django's ValidationError and
PermissionDenied; they become 400 and 403 here with the service's own messages.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from cco.error_pages import ExplainedNotFound

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "This object changed since you read it; nothing was saved. Read it again and retry with its ETag."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Send If-Match with the ETag of your last read of this object (or * to overwrite whatever is there)."
    )
    default_code = "precondition_required"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is larger than this API accepts; nothing was saved."
    default_code = "payload_too_large"


class ErrorSerializer(serializers.Serializer):
    """The body of every error response (documents the shape in the schema)."""

    detail = serializers.CharField(help_text="One sentence for a person.")
    code = serializers.CharField(help_text="A stable, machine-readable code: invalid, not_found, permission_denied, …")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="400 only: messages by field name; `non_field_errors` for the request as a whole.",
    )


def api_exception_handler(exc, context):
    """DRF's handler (which also rolls back the request's transaction) with Django's errors mapped and one shape."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_messages(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, ExplainedNotFound):  # written for the person who asked: what is missing, what there is
        exc = exceptions.NotFound(str(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten(exc.detail)
        response.data = {"detail": summary(errors), "code": "invalid", "errors": errors}
    else:
        detail = getattr(exc, "detail", None)
        code = getattr(exc, "default_code", "error")
        if isinstance(detail, dict | list):
            flat = flatten(detail)
            detail = " ".join(message for messages in flat.values() for message in messages)
        response.data = {"detail": str(detail or response.status_text), "code": code, "errors": {}}
    return response


def django_messages(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {(NON_FIELD if key == NON_FIELD_ERRORS else key): value for key, value in exc.message_dict.items()}
    return {NON_FIELD: exc.messages}


def flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field": [...], "links.0.strength": [...]}."""
    result: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = NON_FIELD if key == NON_FIELD_ERRORS else str(key)
            for field, messages in flatten(value, _child(prefix, name)).items():
                result.setdefault(field, []).extend(messages)
    elif isinstance(detail, list) and all(not isinstance(item, dict | list) for item in detail):
        if detail:
            result[prefix or NON_FIELD] = [str(item) for item in detail]
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            for field, messages in flatten(item, f"{prefix}.{index}" if prefix else str(index)).items():
                result.setdefault(field, []).extend(messages)
    else:
        result[prefix or NON_FIELD] = [str(detail)]
    return result


def _child(prefix: str, name: str) -> str:
    """`links.0.strength`; an error about `links` as a whole stays under `links`."""
    if not prefix:
        return name
    return prefix if name == NON_FIELD else f"{prefix}.{name}"


def summary(errors: dict[str, list[str]]) -> str:
    """The `detail` sentence of a 400: the request-wide messages, else the fields to look at."""
    if NON_FIELD in errors:
        return " ".join(errors[NON_FIELD])
    if len(errors) == 1:
        field, messages = next(iter(errors.items()))
        return f"{field}: {' '.join(messages)}"
    return "Invalid input in: " + ", ".join(errors) + "."
