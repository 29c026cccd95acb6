"""Token authentication: django-rest-knox's (hashed keys with an expiry), as `Authorization: Token <key>`.

knox decodes the key as UTF-8 without catching the error, so a header carrying other bytes would be a 500; here
it is the 401 any other wrong key gets. The schema names the scheme `tokenAuth`, as it did before knox.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox import auth
from rest_framework import exceptions


class TokenAuthentication(auth.TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        try:
            token.decode("utf-8")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from error
        return super().authenticate_credentials(token)


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
