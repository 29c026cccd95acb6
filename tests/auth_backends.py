"""The sign-in lockout's backend for the test settings (cco/settings/test.py).

Django's test `Client.login()` calls authenticate() without a request, which axes refuses (it counts per client
address). A test that signs in that way is setting up a session, like `force_login()`; every real sign-in (the
login pages, the API's token exchange, the browser journeys) passes its request and is checked as in production.
"""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
