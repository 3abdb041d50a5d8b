"""Login brute force: a username is locked out from an address after a few wrong passwords.

Driven through the admin's login form as an attacker would (django-axes, configured in
``coalition_archive/settings.py``).
"""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "un-mot-de-passe-solide"


@pytest.fixture
def editor():
    return User.objects.create_user("editrice", password=PASSWORD, is_staff=True)


def log_in(client, username, password, address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def is_logged_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def test_the_admin_login_works_with_the_right_password(client, editor):
    response = log_in(client, "editrice", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert is_logged_in(client)


def test_forty_wrong_passwords_then_the_right_one_does_not_log_in(client, editor):
    for _ in range(40):
        response = log_in(client, "editrice", "devine")
        assert response.status_code in {200, 429}
    response = log_in(client, "editrice", PASSWORD)
    assert response.status_code == 429
    assert not is_logged_in(client)


def test_the_lockout_page_says_what_happened_and_for_how_long(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "editrice", "devine")
    response = log_in(client, "editrice", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Connexion bloquée" in html
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"pendant {minutes} minutes" in html
    assert "Traceback" not in html


def test_a_few_mistakes_then_the_right_password_logs_in_and_resets_the_count(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "editrice", "devine").status_code == 200
    assert log_in(client, "editrice", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "editrice", "devine").status_code == 200
    assert log_in(client, "editrice", PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off_time(client, editor):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "editrice", "devine")
    assert log_in(client, "editrice", PASSWORD).status_code == 429
    # Time passes: the attempts are now older than the configured cool-off.
    earlier = datetime.timedelta(seconds=settings.AXES_COOLOFF_TIME.total_seconds() + 60)
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - earlier
        )
    assert log_in(client, "editrice", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_the_lockout_is_per_username_and_address(client, editor):
    User.objects.create_user("relecteur", password=PASSWORD, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "editrice", "devine")
    assert log_in(client, "editrice", PASSWORD).status_code == 429
    assert log_in(client, "relecteur", PASSWORD).status_code == 302
    client.logout()
    assert log_in(client, "editrice", PASSWORD, address="198.51.100.20").status_code == 302
