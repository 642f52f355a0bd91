import pytest

from referral_app import create_app
from referral_app.config import ConfigurationError, dev_secret_key, finalise, settings_from_environment


def test_defaults_use_sqlite_in_the_instance_folder(tmp_path):
    settings = settings_from_environment({}, instance_path=tmp_path)
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path / 'referral_app.sqlite'}"
    assert settings["ENV_NAME"] == "development"
    assert settings["SESSION_COOKIE_SECURE"] is False


def test_environment_overrides_defaults(tmp_path):
    settings = settings_from_environment(
        {"DATABASE_URL": "postgresql+psycopg://db/app", "REFERRAL_APP_MAX_REQUEST_MB": "5", "SECRET_KEY": "k"},
        instance_path=tmp_path,
    )
    assert settings["DATABASE_URL"] == "postgresql+psycopg://db/app"
    assert settings["MAX_CONTENT_LENGTH"] == 5 * 1024 * 1024
    assert settings["SECRET_KEY"] == "k"


def test_development_key_is_made_once_and_kept(tmp_path):
    settings = settings_from_environment({}, instance_path=tmp_path / "instance")
    finalise(settings, instance_path=tmp_path / "instance")
    key_file = tmp_path / "instance" / "secret_key"
    assert settings["SECRET_KEY"] == key_file.read_text()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert dev_secret_key(tmp_path / "instance") == settings["SECRET_KEY"]


def test_production_refuses_to_start_without_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("REFERRAL_APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("REFERRAL_APP_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app()
    assert not (tmp_path / "secret_key").exists()


def test_production_with_secret_key_has_secure_cookies(tmp_path, monkeypatch):
    monkeypatch.setenv("REFERRAL_APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-real-secret")
    monkeypatch.setenv("REFERRAL_APP_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SECRET_KEY"] == "a-real-secret"


def test_unknown_environment_name_is_refused(tmp_path):
    with pytest.raises(ConfigurationError, match="REFERRAL_APP_ENV"):
        settings_from_environment({"REFERRAL_APP_ENV": "staging"}, instance_path=tmp_path)
