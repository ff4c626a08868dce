"""Email settings: the console without EMAIL_HOST, SMTP with it, malformed values refused."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EMAIL_VARIABLES = {
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_TIMEOUT",
    "DEFAULT_FROM_EMAIL",
    "PORTAL_BASE_URL",
}


def email_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in EMAIL_VARIABLES | {"DEBUG"}}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import portal.settings as s; "
            "print(s.EMAIL_BACKEND, getattr(s, 'EMAIL_PORT', '-'), s.PORTAL_BASE_URL)",
        ],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": "s3cret", "ALLOWED_HOSTS": "example.fr", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_an_smtp_server_emails_go_to_the_console():
    result = email_settings()

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.console.EmailBackend",
        "-",
        "http://127.0.0.1:8000",
    ]


def test_with_an_smtp_server_emails_are_sent_over_smtp():
    result = email_settings(
        EMAIL_HOST="smtp.example.fr", EMAIL_PORT="465", EMAIL_USE_TLS="false", EMAIL_USE_SSL="true",
        PORTAL_BASE_URL="https://sante.example.fr/",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "465",
        "https://sante.example.fr",
    ]


def test_tls_and_ssl_together_are_refused():
    result = email_settings(EMAIL_HOST="smtp.example.fr", EMAIL_USE_SSL="true")

    assert result.returncode != 0 and "EMAIL_USE_TLS and EMAIL_USE_SSL" in result.stderr


def test_a_portal_address_without_scheme_is_refused():
    result = email_settings(PORTAL_BASE_URL="sante.example.fr")

    assert result.returncode != 0 and "PORTAL_BASE_URL" in result.stderr
