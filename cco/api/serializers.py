"""Serializers of the API's own resources: the current user and tokens."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

User = get_user_model()


class DepartmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.EmailField()
    roles = serializers.ListField(child=serializers.CharField(), help_text="Admin, CCO, Executive, Department head.")
    headed_departments = DepartmentRefSerializer(many=True)
    permissions = serializers.DictField(
        child=serializers.BooleanField(),
        help_text="Organisation-wide actions this user may take (department-level ones depend on the department).",
    )


class TokenSerializer(serializers.Serializer):
    """One live token as admins see it: its prefix (the key's first characters, not a secret), never the key."""

    prefix = serializers.CharField(source="token_key", help_text="The key's first characters, to tell tokens apart.")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField(help_text="After this moment the token no longer authenticates.")


class TokenHolderSerializer(serializers.Serializer):
    """A user holding live tokens (the keys themselves are shown only when issued)."""

    user = serializers.IntegerField(source="pk", help_text="The user's id.")
    username = serializers.CharField()
    last_issued = serializers.DateTimeField(help_text="When the newest of the user's live tokens was issued.")
    tokens = TokenSerializer(source="live_tokens", many=True, help_text="The user's live tokens, newest first.")


class TokenIssueSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), help_text="The user's id.")


class IssuedTokenSerializer(serializers.Serializer):
    """A token just issued, with its key: the only answer that ever shows it."""

    user = serializers.IntegerField(source="token.user_id", help_text="The user's id.")
    username = serializers.CharField(source="token.user.username")
    prefix = serializers.CharField(source="token.token_key", help_text="The key's first characters.")
    created = serializers.DateTimeField(source="token.created")
    expiry = serializers.DateTimeField(source="token.expiry", help_text="After this moment the token stops working.")
    key = serializers.CharField(help_text="Send it as `Authorization: Token <key>`; it is never shown again.")


class TokenObtainSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=User._meta.get_field("username").max_length)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class OwnTokenSerializer(serializers.Serializer):
    token = serializers.CharField(source="key", help_text="Send it as `Authorization: Token <token>`; shown only now.")
    username = serializers.CharField(source="token.user.username")
    expiry = serializers.DateTimeField(source="token.expiry", help_text="After this moment the token stops working.")
