"""Metric feeds over the API: a system pushes readings to one data source with a key scoped to it.

    POST /api/v1/data-sources/<id>/readings/   Authorization: Feed <key>   [{"metric", "at", "value"}, …]

A person with the right to change the data source (admins, the CCO) may push with their own token or session too.
A bad batch is refused whole (400) with each bad row's errors; a batch sent again stores nothing new.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import get_object_or_404
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from cco.api.permissions import RulePermission

from ..feed_tokens import KEYWORD, feed_token_for
from ..feeds import BatchRefused, readings_ingest
from ..models import DataSource, FeedToken


class FeedTokenAuthentication(BaseAuthentication):
    """`Authorization: Feed <key>`: no person, only the data source the key was issued for (request.auth)."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the key as `Authorization: Feed <key>`.")
        try:
            token = feed_token_for(parts[1].decode("ascii"))
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed("Invalid feed key.") from error
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked feed key.")
        return AnonymousUser(), token

    def authenticate_header(self, request) -> str:
        return KEYWORD


class FeedTokenScheme(OpenApiAuthenticationExtension):
    target_class = FeedTokenAuthentication
    name = "feedAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix=KEYWORD)


class FeedOrPersonPermission(RulePermission):
    """A feed key for this very data source, or a signed-in person the change_datasource rule allows."""

    def has_permission(self, request, view) -> bool:
        if isinstance(request.auth, FeedToken):
            return True  # which source the key may feed is checked against the URL in the view
        return super().has_permission(request, view)


class ReadingsSerializer(serializers.Serializer):
    metric = serializers.CharField(help_text="A metric named on the data source.")
    at = serializers.DateTimeField(help_text="When the value was measured (ISO 8601).")
    value = serializers.DecimalField(max_digits=16, decimal_places=4)


RESULT = inline_serializer(
    "ReadingsResult",
    {
        "received": serializers.IntegerField(),
        "stored": serializers.IntegerField(help_text="New readings."),
        "unchanged": serializers.IntegerField(help_text="Already stored with the same value."),
        "check_ins": serializers.IntegerField(help_text="Check-ins made for goals bound to these metrics."),
        "objective_readings": serializers.IntegerField(help_text="Readings made for bound customer objectives."),
        "last_refreshed_at": serializers.DateTimeField(allow_null=True),
    },
)


class ReadingsView(APIView):
    authentication_classes = [FeedTokenAuthentication, *api_settings.DEFAULT_AUTHENTICATION_CLASSES]
    permission_classes = [FeedOrPersonPermission]
    rule = "change_datasource"

    @extend_schema(
        summary="Push readings of the data source's metrics (a feed key for this source, admins or the CCO).",
        request=ReadingsSerializer(many=True),
        responses={200: RESULT},
    )
    def post(self, request, pk: int):
        source = get_object_or_404(DataSource, pk=pk)
        feed = request.auth if isinstance(request.auth, FeedToken) else None
        if feed is not None and feed.data_source_id != source.pk:
            raise exceptions.PermissionDenied("This feed key may only push readings to its own data source.")
        try:
            result = readings_ingest(source=source, rows=request.data, actor=None if feed else request.user)
        except BatchRefused as refused:
            # The one error shape (cco.api.exceptions), each bad row's fields as "rows[N].field", plus the rows as
            # a list for a client that wants them structured.
            errors = {
                f"rows[{row['row']}].{field}": messages
                for row in refused.rows
                for field, messages in row["errors"].items()
            }
            body = {
                "detail": refused.messages[0],
                "code": "invalid",
                "errors": errors or {"non_field_errors": refused.messages},
            }
            body |= {"rows": refused.rows, "refused_rows": refused.total}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            {
                "received": result.received,
                "stored": result.stored,
                "unchanged": result.unchanged,
                "check_ins": result.check_ins,
                "objective_readings": result.objective_readings,
                "last_refreshed_at": result.newest,
            }
        )
