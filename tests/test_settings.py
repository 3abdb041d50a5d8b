"""Settings come from the environment, with safe local defaults."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coalition_archive.search_settings import haystack_connections

PROJECT_DIR = Path(__file__).resolve().parent.parent


def settings_in_subprocess(**env_overrides) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "SEARCH_URL", "ALLOWED_HOSTS"}
    }
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "coalition_archive.settings"
    script = (
        "import json; from django.conf import settings; "
        "db = settings.DATABASES['default']; "
        "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']), "
        "'debug': settings.DEBUG, 'hosts': settings.ALLOWED_HOSTS, "
        "'search': settings.HAYSTACK_CONNECTIONS['default'], "
        "'atomic': db['ATOMIC_REQUESTS'], 'tz': settings.TIME_ZONE, "
        "'lang': settings.LANGUAGE_CODE}))"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_database_url_the_archive_uses_a_local_sqlite_file():
    result = settings_in_subprocess()
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)
    assert settings["engine"] == "django.db.backends.sqlite3"
    assert settings["name"].endswith("archive.sqlite3")
    assert settings["atomic"] is True
    assert settings["tz"] == "Europe/Paris"
    assert settings["lang"] == "fr"


def test_database_url_selects_postgresql_through_psycopg():
    result = settings_in_subprocess(DATABASE_URL="postgres://archive:pw@db.example:5432/archive")
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)
    assert settings["engine"] == "django.db.backends.postgresql"
    assert settings["name"] == "archive"


def test_production_refuses_to_start_without_a_secret_key():
    result = settings_in_subprocess(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_secret_key_and_its_own_hosts():
    result = settings_in_subprocess(
        DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="archive.example,www.archive.example"
    )
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)
    assert settings["debug"] is False
    assert settings["hosts"] == ["archive.example", "www.archive.example"]


def test_search_url_points_whoosh_at_an_index_folder():
    assert haystack_connections("whoosh:///srv/archive/index")["default"]["PATH"] == (
        "/srv/archive/index"
    )


def test_search_url_can_move_the_archive_to_elasticsearch_without_code_changes():
    connection = haystack_connections("elasticsearch://search.internal:9200/archive")["default"]
    assert connection["ENGINE"] == "articles.search.engine.elasticsearch.FrenchElasticsearch7Engine"
    assert connection["URL"] == "http://search.internal:9200"
    assert connection["INDEX_NAME"] == "archive"


def test_search_url_can_name_solr():
    connection = haystack_connections("solr://solr.internal:8983/solr/archive")["default"]
    assert connection["ENGINE"] == "haystack.backends.solr_backend.SolrEngine"
    assert connection["URL"] == "http://solr.internal:8983/solr/archive"


def test_unknown_search_engine_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown engine"):
        haystack_connections("sphinx://localhost/archive")


def settings_values(*names: str, entry_point: str = "", **env_overrides) -> dict:
    """The named settings as a fresh process reads them from this environment (a variable
    given as None is removed), after importing ``entry_point`` (e.g. the WSGI module) if any."""
    env = {key: value for key, value in os.environ.items() if key not in env_overrides}
    env.update({key: value for key, value in env_overrides.items() if value is not None})
    env["DJANGO_SETTINGS_MODULE"] = "coalition_archive.settings"
    script = (
        f"import json{', ' + entry_point if entry_point else ''}; "
        "from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {list(names)!r}}}, "
        "default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_uploads_are_limited_to_2_mb_per_file_and_spooled_to_disk_above_it_by_default():
    values = settings_values(
        "IMPORT_MAX_FILE_BYTES", "FILE_UPLOAD_MAX_MEMORY_SIZE", "DATA_UPLOAD_MAX_MEMORY_SIZE"
    )
    assert values["IMPORT_MAX_FILE_BYTES"] == 2 * 1024 * 1024
    assert values["FILE_UPLOAD_MAX_MEMORY_SIZE"] <= values["IMPORT_MAX_FILE_BYTES"]
    assert values["DATA_UPLOAD_MAX_MEMORY_SIZE"] <= 3 * 1024 * 1024


def test_the_upload_limit_comes_from_the_environment():
    values = settings_values(
        "IMPORT_MAX_FILE_BYTES", "FILE_UPLOAD_MAX_MEMORY_SIZE", IMPORT_MAX_FILE_BYTES="500000"
    )
    assert values == {"IMPORT_MAX_FILE_BYTES": 500_000, "FILE_UPLOAD_MAX_MEMORY_SIZE": 500_000}


def test_the_login_lockout_comes_from_the_environment():
    assert settings_values("AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME") == {
        "AXES_FAILURE_LIMIT": 5,
        "AXES_COOLOFF_TIME": "0:15:00",
    }
    values = settings_values(
        "AXES_FAILURE_LIMIT",
        "AXES_COOLOFF_TIME",
        LOGIN_FAILURE_LIMIT="3",
        LOGIN_LOCKOUT_MINUTES="60",
    )
    assert values == {"AXES_FAILURE_LIMIT": 3, "AXES_COOLOFF_TIME": "1:00:00"}


def test_postgresql_connections_have_a_connect_and_a_statement_timeout():
    url = "postgres://archive:pw@db.example:5432/archive"
    options = settings_values("DATABASES", DATABASE_URL=url, DATABASE_STATEMENT_TIMEOUT="30")[
        "DATABASES"
    ]["default"]["OPTIONS"]
    assert options["connect_timeout"] == 5
    assert options["options"] == "-c statement_timeout=30s"
    options = settings_values(
        "DATABASES",
        DATABASE_URL=url,
        DATABASE_CONNECT_TIMEOUT="2",
        DATABASE_STATEMENT_TIMEOUT="0",
    )["DATABASES"]["default"]["OPTIONS"]
    assert options == {"connect_timeout": 2}


def test_the_web_server_limits_statements_and_commands_do_not():
    """gunicorn's entry point sets a 30 s statement limit; a command (migrate, sync_index, a
    bulk import) run through manage.py has none unless the environment asks for one."""
    env = {
        "DATABASE_URL": "postgres://archive:pw@db.example:5432/archive",
        "DATABASE_STATEMENT_TIMEOUT": None,
    }
    served = settings_values("DATABASES", entry_point="coalition_archive.wsgi", **env)
    assert served["DATABASES"]["default"]["OPTIONS"]["options"] == "-c statement_timeout=30s"
    assert "options" not in settings_values("DATABASES", **env)["DATABASES"]["default"]["OPTIONS"]
