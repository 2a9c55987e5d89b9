"""Production settings pass Django's deployment check; login settings come from the environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SAMVERKA_PRODUCTION": "1",
    "SAMVERKA_SECRET_KEY": "k8#Qz2!vW9mLp4@Xr7$Tn1^Bc6&Hd3*Jf5(Gs0)Ya-Ue_Io+Pq",
    "SAMVERKA_ALLOWED_HOSTS": "samverka.sundbyberg.se",
    # check --deploy does not connect to the database.
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x",
}


def manage(*args: str, env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    # Nothing of the test run's own environment (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE, which the deployment check rightly refuses).
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SAMVERKA_", "DATABASE_", "DJANGO_"))
    }
    clean["SAMVERKA_VAR_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(name: str, env: dict[str, str], tmp_path) -> str:
    code = f"from django.conf import settings; print(repr(settings.{name}))"
    result = manage("shell", "--no-imports", "-c", code, env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_settings_pass_the_deployment_check(tmp_path):
    assert len(PRODUCTION["SAMVERKA_SECRET_KEY"]) == 50
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_with_single_sign_on_pass_too(tmp_path):
    env = {
        **PRODUCTION,
        "SAMVERKA_OIDC_ISSUER": "https://login.sundbyberg.se",
        "SAMVERKA_OIDC_CLIENT_ID": "samverka",
        "SAMVERKA_OIDC_CLIENT_SECRET": "secret",
        "SAMVERKA_BEHIND_PROXY": "1",
    }
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SECURE_HSTS_SECONDS", "31536000"),
        ("SECURE_HSTS_INCLUDE_SUBDOMAINS", "True"),
        ("SECURE_SSL_REDIRECT", "True"),
        ("SESSION_COOKIE_SECURE", "True"),
        ("CSRF_COOKIE_SECURE", "True"),
    ],
)
def test_production_is_https_only(name, expected, tmp_path):
    assert setting(name, PRODUCTION, tmp_path) == expected


def test_the_proxy_header_is_trusted_only_when_there_is_a_proxy(tmp_path):
    assert setting("SECURE_PROXY_SSL_HEADER", PRODUCTION, tmp_path) == "None"
    behind = {**PRODUCTION, "SAMVERKA_BEHIND_PROXY": "1", "SAMVERKA_SSL_REDIRECT": "0"}
    assert setting("SECURE_PROXY_SSL_HEADER", behind, tmp_path) == (
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )
    assert setting("SECURE_SSL_REDIRECT", behind, tmp_path) == "False"


def test_lockout_and_idle_time_come_from_the_environment(tmp_path):
    env = {
        "SAMVERKA_LOCKOUT_FAILURES": "3",
        "SAMVERKA_LOCKOUT_MINUTES": "60",
        "SAMVERKA_SESSION_IDLE_MINUTES": "10",
    }
    assert setting("AXES_FAILURE_LIMIT", env, tmp_path) == "3"
    assert setting("AXES_COOLOFF_TIME", env, tmp_path) == "datetime.timedelta(seconds=3600)"
    assert setting("SESSION_COOKIE_AGE", env, tmp_path) == "600"


def test_single_sign_on_is_off_unless_configured(tmp_path):
    assert setting("OIDC_ENABLED", {}, tmp_path) == "False"
    assert "OIDCBackend" not in setting("AUTHENTICATION_BACKENDS", {}, tmp_path)


def test_single_sign_on_with_explicit_endpoints(tmp_path):
    env = {
        "SAMVERKA_OIDC_CLIENT_ID": "samverka",
        "SAMVERKA_OIDC_CLIENT_SECRET": "secret",
        "SAMVERKA_OIDC_AUTHORIZATION_ENDPOINT": "https://idp.test/authorize",
        "SAMVERKA_OIDC_TOKEN_ENDPOINT": "https://idp.test/token",
        "SAMVERKA_OIDC_USERINFO_ENDPOINT": "https://idp.test/userinfo",
        "SAMVERKA_OIDC_JWKS_ENDPOINT": "https://idp.test/jwks",
    }
    assert setting("OIDC_ENABLED", env, tmp_path) == "True"
    assert "accounts.oidc.OIDCBackend" in setting("AUTHENTICATION_BACKENDS", env, tmp_path)


def test_single_sign_on_half_configured_is_an_error(tmp_path):
    result = manage("check", env={"SAMVERKA_OIDC_CLIENT_ID": "samverka"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SAMVERKA_OIDC_ISSUER" in result.stderr
