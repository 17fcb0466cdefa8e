"""Walks the portal's pages as one signed-in user: the page routes discovered from the app, then every link and
HTMX GET found on the pages, so a new domain's pages are walked without anyone listing them here."""
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from fastapi.routing import iter_route_contexts

# Not pages: the API (its own contract tests), machinery, and the OpenID Connect round trip (needs a provider).
SKIPPED_PREFIXES = ("/api/", "/static/", "/openapi.json", "/docs/", "/auth/oidc/", "/healthz", "/readyz")
_LINK = re.compile(r'(?:href|hx-get)="([^"]+)"')


@dataclass(frozen=True)
class PageRoute:
    path: str
    pattern: re.Pattern

    @property
    def takes_parameters(self) -> bool:
        return "{" in self.path


def page_routes(app) -> list[PageRoute]:
    """Every GET route that is not API or machinery, each once."""
    routes = {}
    for route in iter_route_contexts(app.routes):
        path = route.path or ""
        if route.methods and "GET" in route.methods and not path.startswith(SKIPPED_PREFIXES):
            routes.setdefault(path, PageRoute(path, route.path_regex))
    return list(routes.values())


def route_of(routes: list[PageRoute], path: str) -> PageRoute | None:
    matches = [r for r in routes if r.pattern.match(path)]
    # A literal route (/employer/positions/new) wins over a parameter one (/employer/positions/{id}/...).
    return min(matches, key=lambda r: r.path.count("{"), default=None)


def links_in(html: str, base: str) -> list[str]:
    found = []
    for raw in _LINK.findall(html):
        url = urljoin(base, unescape(raw))
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc not in ("testserver", ""):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith("/") and not path.startswith(SKIPPED_PREFIXES):
            found.append(path)
    return found


@dataclass
class Visit:
    url: str
    route: str
    status: int
    content_type: str
    html: str


@dataclass
class Crawl:
    visits: list[Visit] = field(default_factory=list)

    @property
    def routes_seen(self) -> set[str]:
        return {v.route for v in self.visits}


def crawl(client, routes: list[PageRoute], *, per_route: int = 6, headers=None) -> Crawl:
    """Breadth first from the routes without parameters; each route is fetched with at most `per_route` URLs
    (tabs and filters of one list are several URLs of one route)."""
    queue = [r.path for r in routes if not r.takes_parameters]
    seen_urls: set[str] = set()
    per_route_count: dict[str, int] = defaultdict(int)
    result = Crawl()
    while queue:
        url = queue.pop(0)
        route = route_of(routes, urlsplit(url).path)
        if url in seen_urls or route is None or per_route_count[route.path] >= per_route:
            continue
        seen_urls.add(url)
        per_route_count[route.path] += 1
        response = client.get(url, headers=headers, follow_redirects=False)
        content_type = response.headers.get("content-type", "")
        html = response.text if content_type.startswith("text/html") else ""
        result.visits.append(Visit(url, route.path, response.status_code, content_type, html))
        location = response.headers.get("location")
        if response.is_redirect and location:
            queue.extend(links_in(f'href="{location}"', url))
        queue.extend(links_in(html, url))
    return result


class _Text(HTMLParser):
    """What a reader sees or hears: text nodes, and the attributes screen readers and placeholders show."""

    SPOKEN_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skip = 0

    # Code is literal (a file's column header, a category code): the same in either language.
    UNSPOKEN = ("script", "style", "code")

    def handle_starttag(self, tag, attrs):
        if tag in self.UNSPOKEN:
            self._skip += 1
        for name, value in attrs:
            if name in self.SPOKEN_ATTRIBUTES and value:
                self.chunks.append(value)
            if name == "data-label" and value:
                self.chunks.append(value)

    def handle_endtag(self, tag):
        if tag in self.UNSPOKEN and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.chunks.append(data.strip())


def readable_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.chunks
