"""The API's own endpoints: who am I, my token for my password, and admins' token management."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cco import roles
from cco.permissions import can
from departments.models import Department

from .serializers import IssuedTokenSerializer, MeSerializer, OwnTokenSerializer, TokenIssueSerializer, TokenSerializer
from .tokens import token_for_self, token_issue, token_revoke
from .viewsets import ServiceViewSet

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
        headed = Department.objects.filter(pk__in=roles.headed_department_ids(user)).order_by("name")
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
    """Exchange a username and password for your own API token (created on first use)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        operation_id="auth_token",
        summary="Exchange your username and password for your API token.",
        request=AuthTokenSerializer,
        responses=OwnTokenSerializer,
        tags=["auth"],
    )
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token = token_for_self(user=user)
        return Response({"token": token.key, "username": user.get_username()})


class TokenFilter(filters.FilterSet):
    username = filters.CharFilter(field_name="user__username", lookup_expr="icontains")

    class Meta:
        model = Token
        fields = ["username"]


@extend_schema_view(
    list=extend_schema(summary="Users who hold an API token (admins)."),
    retrieve=extend_schema(summary="One user's token: when it was issued (admins)."),
    create=extend_schema(
        summary="Issue a new token for a user (admins); their previous one stops working.",
        request=TokenIssueSerializer,
        responses={201: IssuedTokenSerializer},
    ),
    destroy=extend_schema(summary="Revoke a user's token (admins)."),
)
class TokenViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, ServiceViewSet
):
    """API tokens by user id; the key is shown once, when issued."""

    queryset = Token.objects.select_related("user").order_by("user__username")
    serializer_class = TokenSerializer
    filterset_class = TokenFilter
    ordering_fields = ["created", "user__username"]
    lookup_field = "user"
    lookup_value_regex = r"\d{1,18}"  # larger numbers are no user id (and overflow some databases)
    rules = dict.fromkeys(("list", "retrieve", "create", "destroy"), "manage_tokens")

    def create(self, request, *args, **kwargs):
        serializer = TokenIssueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = token_issue(actor=request.user, user=serializer.validated_data["user"])
        return Response(IssuedTokenSerializer(token).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        token_revoke(actor=request.user, user=self.get_object().user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@csrf_exempt
def not_found(request, *args, **kwargs) -> JsonResponse:
    """No API route matches: a 404 in the same shape as every other API error (never Django's HTML page)."""
    return JsonResponse({"detail": "Not found.", "code": "not_found", "errors": {}}, status=404)
