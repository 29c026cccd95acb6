"""Serializers of the API's own resources: the current user and tokens."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers
from rest_framework.authtoken.models import Token

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


class TokenSerializer(serializers.ModelSerializer):
    """A user's token as admins list it (the key itself is shown only when issued)."""

    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Token
        fields = ["user", "username", "created"]
        read_only_fields = fields


class TokenIssueSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), help_text="The user's id.")


class IssuedTokenSerializer(TokenSerializer):
    class Meta(TokenSerializer.Meta):
        fields = ["user", "username", "created", "key"]
        read_only_fields = fields


class OwnTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")
    username = serializers.CharField()
