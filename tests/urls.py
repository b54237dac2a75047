"""The project's URL patterns, walked once for the tests that must cover every one of them."""

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter


def app_url_patterns() -> dict[str, dict]:
    """{name: converters} of every URL pattern outside the admin (unnamed ones get a loud name)."""

    def walk(patterns, namespace, route, converters):
        for pattern in patterns:
            here = route + str(pattern.pattern)
            found = {**converters, **getattr(pattern.pattern, "converters", {})}
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                yield from walk(pattern.url_patterns, inner, here, found)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or f"<unnamed: /{here}; name it to test it>"
                yield (f"{namespace}:{name}" if namespace else name), found

    return dict(walk(get_resolver().url_patterns, "", "", {}))


def takes_an_id(converters: dict) -> bool:
    return any(isinstance(c, IntConverter) for c in converters.values())
