"""Page-number pagination for every list: ?page=2&page_size=100 (at most 200 a page)."""

from __future__ import annotations

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200
