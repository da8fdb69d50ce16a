"""Security headers: what every response tells a browser, whoever produced the response.

Constants only, built once: the fast path puts them in its prebuilt header lists, Flask adds
them after every request (routes, 404, 405, 500) and deploy/nginx.conf repeats them
(tests/test_http_rules.py checks that both servers send the same). The pages run no script
at all, so the policy allows none; remote images in articles load without a Referer.
"""

from __future__ import annotations

CSP = ("default-src 'none'; style-src 'self'; img-src 'self' https: http: data:; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")

#: on every response, documents and errors alike (harmless on feeds and JSON)
SECURITY: tuple[tuple[str, str], ...] = (
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", CSP),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),  # for browsers older than frame-ancestors
)
