"""Pieces every app's API shares: the error shape, ETag concurrency, permissions, pagination, throttles, schema."""
