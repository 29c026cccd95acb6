"""The API's own endpoints: who am I, a new token for my password, and admins' token management."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cco import roles
from cco.permissions import can

from .exceptions import api_exception_handler
from .serializers import (
    IssuedTokenSerializer,
    MeSerializer,
    OwnTokenSerializer,
    TokenHolderSerializer,
    TokenIssueSerializer,
    TokenObtainSerializer,
)
from .tokens import token_holders, token_issue, token_obtain, token_revoke
from .viewsets import ServiceViewSet

User = get_user_model()
ORGANISATION_ACTIONS = (
    "add_department",
    "add_reportingline",
    "add_period",
    "add_customerobjective",
    "add_datasource",
    "change_mandateitem",
    "review_goal",
    "sign_off_lever",
    "recompute_scores",
    "manage_tokens",
)


class MeView(APIView):
    """The signed-in user."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="users_me",
        summary="Who you are: roles, departments you head, what you may do organisation-wide.",
        responses=MeSerializer,
        tags=["users"],
    )
    def get(self, request):
        """The signed-in user: roles, the departments they head, and what they may do organisation-wide."""
        user = request.user
        headed = user.headed_departments.order_by("name")
        data = {
            "id": user.pk,
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "roles": sorted(roles.role_names(user)),
            "headed_departments": [{"id": d.pk, "name": d.name} for d in headed],
            "permissions": {name: can(user, name) for name in ORGANISATION_ACTIONS},
        }
        return Response(MeSerializer(data).data)


class ObtainTokenView(APIView):
    """Exchange a username and password for a new API token of your own (its key is shown in this answer only)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        operation_id="auth_token",
        summary="Exchange your username and password for a new API token (shown once).",
        request=TokenObtainSerializer,
        responses=OwnTokenSerializer,
        tags=["auth"],
    )
    def post(self, request):
        serializer = TokenObtainSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issued = token_obtain(request=request, **serializer.validated_data)
        return Response(OwnTokenSerializer(issued).data)

    def get_exception_handler(self):
        """A refused exchange wrote nothing but the lockout's record of the failed password (django-axes), which
        must be committed, not rolled back with the request like other errors' writes."""

        def keep_the_failed_attempt(exc, context):
            response = api_exception_handler(exc, context)
            if response is not None and transaction.get_connection().in_atomic_block:
                transaction.set_rollback(False)
            return response

        return keep_the_failed_attempt


class TokenHolderFilter(filters.FilterSet):
    username = filters.CharFilter(field_name="username", lookup_expr="icontains")

    class Meta:
        model = User
        fields = ["username"]


TOKEN_HOLDER = OpenApiParameter(
    "user", int, OpenApiParameter.PATH, description="The id of the user holding the tokens."
)


@extend_schema_view(
    list=extend_schema(summary="Users who hold live API tokens, with each token's prefix and expiry (admins)."),
    retrieve=extend_schema(
        summary="One user's live tokens: prefix, when issued, when they expire (admins).", parameters=[TOKEN_HOLDER]
    ),
    create=extend_schema(
        summary="Issue a new token for a user (admins); the key is shown once and their other tokens stop working.",
        request=TokenIssueSerializer,
        responses={201: IssuedTokenSerializer},
    ),
    destroy=extend_schema(summary="Revoke all of a user's tokens (admins).", parameters=[TOKEN_HOLDER]),
)
class TokenViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, ServiceViewSet
):
    """API tokens by user id; a key is shown once, when issued, and never listed."""

    serializer_class = TokenHolderSerializer
    filterset_class = TokenHolderFilter
    ordering_fields = ["username", "last_issued"]
    lookup_url_kwarg = "user"
    lookup_value_regex = r"\d{1,18}"  # larger numbers are no user id (and overflow some databases)
    rules = dict.fromkeys(("list", "retrieve", "create", "destroy"), "manage_tokens")

    def get_queryset(self):
        return token_holders()

    def create(self, request, *args, **kwargs):
        serializer = TokenIssueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issued = token_issue(actor=request.user, user=serializer.validated_data["user"])
        return Response(IssuedTokenSerializer(issued).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        token_revoke(actor=request.user, user=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@csrf_exempt
def not_found(request, *args, **kwargs) -> JsonResponse:
    """No API route matches: a 404 in the same shape as every other API error (never Django's HTML page)."""
    return JsonResponse({"detail": "Not found.", "code": "not_found", "errors": {}}, status=404)
