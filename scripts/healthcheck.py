"""Container health check: exit 0 when the archive's ``/healthz`` answers 200, else 1.

Standard library only. Speaks plain HTTP to gunicorn inside the container, presenting itself as
the site (first of ALLOWED_HOSTS) behind its TLS proxy, so neither host validation nor the HTTPS
redirect turns it away.
"""

import os
import sys
import urllib.error
import urllib.request


def site_host() -> str:
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = hosts[0] if hosts else "localhost"
    # ".example.org" allows every subdomain; "*" allows anything.
    return "localhost" if host == "*" else host.lstrip(".")


def main() -> int:
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz"
    request = urllib.request.Request(
        url, headers={"Host": site_host(), "X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=8) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
