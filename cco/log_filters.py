"""Logging filters: an expected refusal is one line in the log, not a traceback.

Django logs every 403 ("Forbidden (Permission denied): /path") with the exception attached, so the development
server printed a full traceback for each page a role may not open, burying real errors. The line stays; the
traceback of a PermissionDenied (a rule saying no, cco.permissions) goes.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied


class ExpectedRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], PermissionDenied):
            record.exc_info, record.exc_text = None, None
        return True
