"""drf-spectacular's AutoSchema, plus what every operation of this API shares.

Each operation documents the errors it can answer with (one shape, cco.api.exceptions.ErrorSerializer):
401/403 unless it is public, 400 for writes and filtered lists, 404 for one object or a page past the
end, 412/428 where If-Match is required, 429 everywhere. ETag-protected viewsets also get the `If-Match`
request header and the `ETag` response header described.
"""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.permissions import AllowAny

from .exceptions import ErrorSerializer

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: nothing was saved; `errors` names each field with its messages.",
    "401": "Not authenticated: send `Authorization: Token <key>` (or use a signed-in browser session).",
    "403": "Signed in, but the product's rules do not allow this (the same rules as the web app).",
    "404": "No such object, or a page past the end of the list.",
    "412": "If-Match does not match the object's current ETag: someone changed it; nothing was saved.",
    "428": "If-Match is required for this change.",
    "429": "Too many requests; retry after the number of seconds in the Retry-After header.",
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag from your last read of this object, or `*` to overwrite whatever is there.",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    response=["200", "201"],
    description="The object's version; send it back as If-Match to change or delete the object.",
)
WRITES = ("POST", "PUT", "PATCH")
CONDITIONAL = ("PUT", "PATCH", "DELETE")


class AutoSchema(openapi.AutoSchema):
    def _is_public(self) -> bool:
        return any(permission is AllowAny for permission in getattr(self.view, "permission_classes", []))

    def _etag_protected(self) -> bool:
        return getattr(self.view, "etag_protected", False) and getattr(self.view, "action", None) in {
            "retrieve",
            "create",
            "update",
            "partial_update",
            "destroy",
        }

    def error_codes(self) -> list[str]:
        codes = []
        if self.method in WRITES and self.get_request_serializer() is not None:
            codes.append("400")
        if self.method == "DELETE" and getattr(self.view, "delete_may_be_refused", False):
            codes.append("400")  # the service refuses some deletes, saying why
        is_list = self.method == "GET" and self._is_list_view()
        if is_list and (self.get_filter_backends() or self._get_paginator()):
            codes.append("400")
        if not self._is_public():
            codes += ["401", "403"]
        if "{" in self.path or (is_list and self._get_paginator()):
            codes.append("404")
        if self._etag_protected() and self.method in CONDITIONAL:
            codes += ["412", "428"]
        codes.append("429")
        return sorted(set(codes))

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._etag_protected():
            if self.method in CONDITIONAL:
                parameters.append(IF_MATCH)
            if self.method != "DELETE":
                parameters.append(ETAG)
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.error_codes():
            if code not in responses:
                error = OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
                responses[code] = self._get_response_for_code(error, code, direction=direction)
        return dict(sorted(responses.items()))
