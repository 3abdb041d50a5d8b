"""Production readiness: deploy checks, security headers on every page, the container stack."""

import os
import re
import secrets
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tests.conftest import launched_chromium
from tests.factories import (
    ArticleFactory,
    ArticleMeetingFactory,
    ArticlePersonFactory,
    MeetingFactory,
    QuoteFactory,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_ENV_KEYS = {
    "DATABASE_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "SEARCH_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def production_env(**overrides) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION_ENV_KEYS}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="archive.example.org",
        DATABASE_URL="postgres://archive:pw@db.internal:5432/archive",
        DJANGO_SETTINGS_MODULE="coalition_archive.settings",
    )
    env.update(overrides)
    return env


def run_manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- Settings come from the environment, and pass Django's deployment checks ------------------


def test_check_deploy_reports_nothing_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", env=production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output
    assert "?: (security." not in output


def test_production_settings_are_secure_by_default():
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'debug': s.DEBUG, 'ssl': s.SECURE_SSL_REDIRECT, 'proxy': s.SECURE_PROXY_SSL_HEADER, "
        "'session_secure': s.SESSION_COOKIE_SECURE, 'csrf_secure': s.CSRF_COOKIE_SECURE, "
        "'session_httponly': s.SESSION_COOKIE_HTTPONLY, 'hsts': s.SECURE_HSTS_SECONDS, "
        "'hsts_sub': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'static': "
        "s.STORAGES['staticfiles']['BACKEND'], 'hosts': s.ALLOWED_HOSTS}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=PROJECT_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    values = __import__("json").loads(result.stdout)
    assert values["debug"] is False
    assert values["ssl"] is True
    assert values["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["session_secure"] and values["csrf_secure"] and values["session_httponly"]
    assert values["hsts"] >= 31536000 and values["hsts_sub"]
    assert values["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["hosts"] == ["archive.example.org"]


def test_production_never_falls_back_to_a_built_in_secret_or_host():
    env = production_env()
    del env["SECRET_KEY"]
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


# --- Security headers on every response, the admin and error pages included ----------------

CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def csp_of(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, _, sources = part.strip().partition(" ")
        directives[name] = sources.strip()
    return directives


def assert_security_headers(response):
    directives = csp_of(response)
    for name, sources in CSP_DIRECTIVES.items():
        assert directives.get(name) == sources, (name, response["Content-Security-Policy"])
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/", "/reunions/", "/intervenants/", "/sources/", "/page-qui-n-existe-pas/", "/healthz"],
)
def test_every_public_response_carries_the_security_headers(client, url):
    assert_security_headers(client.get(url))


@pytest.mark.django_db
def test_admin_pages_carry_the_security_headers(client, admin_client):
    assert_security_headers(client.get("/admin/login/"))
    assert_security_headers(admin_client.get("/admin/"))
    article = ArticleFactory()
    assert_security_headers(admin_client.get(f"/admin/articles/article/{article.pk}/change/"))


@pytest.mark.django_db
def test_hsts_is_sent_over_https_in_production(client):
    with override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True):
        response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]


@pytest.mark.django_db
def test_cookies_are_secure_and_http_only_in_production(client):
    with override_settings(
        SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=True
    ):
        response = client.get("/admin/login/", secure=True)
    csrf = response.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"


# --- No inline script or style: the CSP above would block it ---------------------------------


class InlineCodeFinder(HTMLParser):
    """Collect everything ``script-src 'self'`` / ``style-src 'self'`` would refuse."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler attribute")
            if name == "style":
                self.problems.append(f"<{tag} style=…> inline style")
            if name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script" and "src" not in attributes:
            data_block = attributes.get("type", "") in {"application/json", "application/ld+json"}
            self._in_inline_script = not data_block

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]!r}")


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.problems


@pytest.fixture
def archive_with_content(db):
    meeting = MeetingFactory(slug="reunion-de-test-csp", city="Genève")
    article = ArticleFactory(title="Blinken à Rome", slug="blinken-a-rome")
    ArticleMeetingFactory(article=article, meeting=meeting)
    link = ArticlePersonFactory(article=article)
    QuoteFactory(article=article, person=link.person, text="Nous resterons unis")
    return article


PUBLIC_PAGE_NAMES = [
    ("articles:home", {}),
    ("articles:meeting-list", {}),
    ("articles:meeting-detail", {"slug": "reunion-de-test-csp"}),
    ("articles:meeting-compare", {"slug": "reunion-de-test-csp"}),
    ("articles:person-list", {}),
    ("articles:source-list", {}),
    ("articles:article-detail", {"slug": "blinken-a-rome"}),
    ("articles:search", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGE_NAMES)
def test_public_pages_have_no_inline_script_or_style(
    request, client, archive_with_content, name, kwargs
):
    url = reverse(name, kwargs=kwargs)
    if name == "articles:search":
        request.getfixturevalue("search_index").drain()
    response = client.get(url)
    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


def admin_pages(article) -> list[str]:
    """Every admin page that takes no argument or an object id: stock and custom views alike."""
    from django.contrib import admin
    from django.urls import NoReverseMatch

    urls = {"/admin/", "/admin/password_change/"}
    for model, model_admin in admin.site._registry.items():
        instance = model._default_manager.first() if model is not type(article) else article
        for pattern in model_admin.get_urls():
            name = getattr(pattern, "name", None)
            route = str(pattern.pattern)
            if not name or ("<" not in route and "(?P" in route):
                continue
            try:
                if "<" not in route:
                    urls.add(reverse(f"admin:{name}"))
                elif route.count("<") == 1 and "object_id" in route and instance is not None:
                    urls.add(reverse(f"admin:{name}", args=[instance.pk]))
            except NoReverseMatch:
                continue
    return sorted(urls)


def test_the_admin_has_no_inline_script_or_style_so_it_works_under_the_policy(
    admin_client, archive_with_content
):
    problems = {}
    for url in admin_pages(archive_with_content):
        response = admin_client.get(url)
        if response.status_code != 200:
            continue  # redirects (delete confirmations of protected rows…) carry no page
        if "sandbox" in response["Content-Security-Policy"]:
            # A view that serves an imported file verbatim sets a stricter policy of its own.
            assert "default-src 'none'" in response["Content-Security-Policy"]
            continue
        assert_security_headers(response)
        found = inline_code(response.content.decode())
        if found:
            problems[url] = found
    # style-src 'self' and script-src 'self' would block these in a browser: move them to a
    # static .css/.js file (Django's own admin templates need no such exception).
    assert problems == {}


def test_the_admin_pages_checked_include_the_stock_and_custom_views(archive_with_content):
    urls = admin_pages(archive_with_content)
    assert "/admin/articles/article/" in urls
    assert f"/admin/articles/article/{archive_with_content.pk}/change/" in urls
    assert "/admin/articles/person/add/" in urls


def test_the_login_page_has_no_inline_script(client, db):
    assert inline_code(client.get("/admin/login/").content.decode()) == []


@pytest.mark.browser
def test_chromium_reports_no_policy_violation_in_the_admin_or_public_pages(
    live_server, admin_user, archive_with_content, monkeypatch
):
    """A real browser enforces the policy: the admin's scripts still run (prepopulated slugs)."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are the test's.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect

    violations = []
    with launched_chromium() as browser:
        page = browser.new_page()
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", "password")
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        page.goto(f"{live_server.url}/admin/articles/person/add/")
        page.locator("#id_name").press_sequentially("Antony Blinken")
        # prepopulate.js filled the slug: the admin's JavaScript runs under script-src 'self'.
        expect(page.locator("#id_slug")).to_have_value("antony-blinken")
        page.goto(f"{live_server.url}/admin/articles/article/{archive_with_content.pk}/change/")
        page.goto(f"{live_server.url}{archive_with_content.get_absolute_url()}")
        page.goto(f"{live_server.url}/")
    assert violations == []


# --- The container stack: docker-compose.yml and the Dockerfile ------------------------------


@pytest.fixture(scope="module")
def compose():
    yaml = pytest.importorskip("yaml", reason="PyYAML reads docker-compose.yml")
    return yaml.safe_load((PROJECT_DIR / "docker-compose.yml").read_text())


def test_compose_runs_postgresql_16_with_a_health_check_and_a_volume(compose):
    db = compose["services"]["db"]
    assert db["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in db["volumes"])
    assert "ports" not in db, "the database is reachable by the other services only"


def test_compose_web_runs_gunicorn_after_a_healthy_database(compose):
    web = compose["services"]["web"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert "scripts/healthcheck.py" in " ".join(web["healthcheck"]["test"])
    assert any(volume.endswith(":/data") for volume in web["volumes"]), "the Whoosh index volume"
    assert web["environment"]["DEBUG"] == "0"
    start = (PROJECT_DIR / "scripts" / "start-web.sh").read_text()
    assert "migrate --noinput" in start and "collectstatic --noinput" in start
    assert "exec gunicorn" in start and "--workers" in start


def test_compose_has_a_single_index_writer(compose):
    services = compose["services"]
    writers = [
        name
        for name, service in services.items()
        if "process_index_queue" in " ".join(map(str, service.get("command") or []))
    ]
    assert writers == ["indexer"]
    indexer = services["indexer"]
    assert indexer.get("deploy", {}).get("replicas", 1) == 1
    assert any(volume.endswith(":/data") for volume in indexer["volumes"])
    # Every other service reads the index only.
    assert "sync_index" not in (PROJECT_DIR / "scripts" / "start-web.sh").read_text()


def test_compose_moves_search_to_elasticsearch_behind_a_profile(compose):
    es = compose["services"]["elasticsearch"]
    assert es["profiles"] == ["scale-out"]
    assert es["image"].split(":")[-1].startswith("7.")
    assert "healthcheck" in es
    assert any(volume.endswith(":/usr/share/elasticsearch/data") for volume in es["volumes"])
    for name, service in compose["services"].items():
        if name != "elasticsearch":
            assert "profiles" not in service, f"{name} must run without a profile"


def test_every_named_volume_is_declared(compose):
    declared = set(compose["volumes"])
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in declared


def test_compose_holds_no_secret_default(compose):
    text = (PROJECT_DIR / "docker-compose.yml").read_text()
    for variable in ["SECRET_KEY", "POSTGRES_PASSWORD"]:
        # ${VAR:?message} refuses to start without it; ${VAR:-default} would ship a secret.
        assert re.search(rf"\${{{variable}:\?", text), variable
        assert not re.search(rf"\${{{variable}:?-", text), variable
    for service in compose["services"].values():
        environment = service.get("environment", {})
        for name, value in environment.items():
            if re.search("PASSWORD|SECRET|KEY", name):
                assert "${" in str(value), f"{name} is hard-coded"


def test_published_ports_listen_on_the_loopback_only(compose):
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} to the world"


@pytest.mark.skipif(
    not (
        shutil.which("docker")
        and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    ),
    reason="docker compose is not installed here",
)
def test_docker_compose_accepts_the_file():
    env = {**os.environ, "SECRET_KEY": "x" * 50, "POSTGRES_PASSWORD": "pw"}
    result = subprocess.run(
        ["docker", "compose", "config", "-q"], cwd=PROJECT_DIR, env=env, capture_output=True
    )
    assert result.returncode == 0, result.stderr


def test_the_image_runs_as_an_unprivileged_user_with_a_health_check():
    dockerfile = (PROJECT_DIR / "Dockerfile").read_text()
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.MULTILINE)
    assert re.search(r"^HEALTHCHECK [^\n]*(\\\n[^\n]*)*healthcheck\.py", dockerfile, re.MULTILINE)
    assert "collectstatic" in dockerfile, "static files are collected at build time too"


def test_the_container_health_check_script_uses_only_the_standard_library():
    source = (PROJECT_DIR / "scripts" / "healthcheck.py").read_text()
    imports = re.findall(r"^(?:from|import) (\w+)", source, re.MULTILINE)
    assert set(imports) <= {"os", "sys", "urllib", "http", "__future__"}, imports


# --- The load-test script ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def loadtest():
    import importlib.util

    spec = importlib.util.spec_from_file_location("loadtest", PROJECT_DIR / "scripts/loadtest.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["loadtest"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules["loadtest"]


def test_the_load_test_only_ever_targets_the_loopback(loadtest):
    for url in ["http://example.org/", "http://10.0.0.1:8000/", "http://localhost.evil/"]:
        with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
            loadtest.fetch(url)


def test_the_load_test_percentiles_are_nearest_rank(loadtest):
    values = [float(n) for n in range(1, 101)]
    assert loadtest.percentile(values, 0.50) == 50.0
    assert loadtest.percentile(values, 0.95) == 95.0
    assert loadtest.percentile([7.0], 0.95) == 7.0


def test_the_load_test_keeps_to_its_schedule_and_mix(loadtest, monkeypatch):
    sent = []
    monkeypatch.setattr(loadtest, "fetch", lambda url, timeout=30.0: sent.append(url) or (200, b""))
    pages = {
        "search": ["/recherche/?q=a"],
        "meeting": ["/reunions/x/"],
        "comparison": ["/reunions/x/comparaison/"],
        "speaker": ["/intervenants/", "/intervenants/y/"],
        "article": ["/a/"],
    }
    report = loadtest.drive("http://127.0.0.1:1", pages, rate=50, duration=0.4)
    assert len(report.results) == 20 and not report.errors
    kinds = [result.kind for result in report.results]
    assert kinds.count("search") == 6 and kinds.count("meeting") == 4
    assert kinds.count("comparison") == 2 and kinds.count("speaker") == 4
