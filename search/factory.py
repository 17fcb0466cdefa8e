"""Picks the backend from the settings: Elasticsearch when PORTAL_SEARCH_URL is set (falling back to the embedded
backend for reads while it is unreachable), the embedded backend otherwise."""
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine

from portal.settings import Settings
from search.backend import SearchBackend, SearchUnavailable

log = logging.getLogger(__name__)
RETRY_PRIMARY_AFTER_SECONDS = 30.0


def build_backend(settings: Settings, engine: Engine) -> SearchBackend:
    from search.embedded import EmbeddedBackend

    embedded = EmbeddedBackend(engine)
    if not settings.search_url:
        return embedded
    from search.elastic import ElasticBackend

    return FallbackBackend(ElasticBackend(settings.search_url, prefix=settings.search_index_prefix), embedded)


class FallbackBackend(SearchBackend):
    """Writes go to the primary (failures propagate, so the outbox keeps its rows); reads fall back to the embedded
    backend while the primary is unreachable, and `read()` says when they did."""

    def __init__(self, primary: SearchBackend, fallback: SearchBackend) -> None:
        self.primary = primary
        self.fallback = fallback
        self.name = primary.name
        self._down_until = 0.0
        self._lock = threading.Lock()

    def read(self, method: str, *args: Any, **kwargs: Any) -> tuple[Any, str, bool]:
        """(result, backend name, degraded)."""
        if time.monotonic() >= self._down_until:
            try:
                return getattr(self.primary, method)(*args, **kwargs), self.primary.name, False
            except SearchUnavailable as error:
                log.warning("search: %s unavailable, using %s: %s", self.primary.name, self.fallback.name, error)
                with self._lock:
                    self._down_until = time.monotonic() + RETRY_PRIMARY_AFTER_SECONDS
        return getattr(self.fallback, method)(*args, **kwargs), self.fallback.name, True

    def _read(method: str) -> Callable:  # noqa: N805 - a small method factory
        def delegate(self, *args, **kwargs):
            return self.read(method, *args, **kwargs)[0]

        delegate.__name__ = method
        return delegate

    search_positions = _read("search_positions")
    recommend_positions = _read("recommend_positions")
    position_fits = _read("position_fits")
    recommend_many = _read("recommend_many")
    rank_candidates = _read("rank_candidates")
    similar_positions = _read("similar_positions")

    def ensure_indexes(self) -> None:
        self.primary.ensure_indexes()

    def index(self, entity, docs, *, refresh=False):
        return self.primary.index(entity, docs, refresh=refresh)

    def delete(self, entity, ids, *, refresh=False):
        return self.primary.delete(entity, ids, refresh=refresh)

    def reindex(self, entity, docs):
        return self.primary.reindex(entity, docs)

    def indexed_hashes(self, entity):
        return self.primary.indexed_hashes(entity)

    def refresh(self) -> None:
        self.primary.refresh()
        self.fallback.refresh()

    def health(self):
        return self.primary.health()


def read(search: SearchBackend, method: str, *args: Any, **kwargs: Any) -> tuple[Any, str, bool]:
    """Calls a read method of any backend: (result, backend name, degraded). A plain backend that is unreachable
    raises SearchUnavailable."""
    if isinstance(search, FallbackBackend):
        return search.read(method, *args, **kwargs)
    return getattr(search, method)(*args, **kwargs), search.name, False


__all__ = ["build_backend", "FallbackBackend", "read", "SearchUnavailable"]
