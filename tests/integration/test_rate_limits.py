"""Rate limits per client address: problem reports and the Open Referral API, counted in memory or in Redis."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from referral_app import create_app
from referral_app.config import PROJECT_ROOT, ConfigurationError, settings_from_environment
from referral_app.services.demo_data import demo_id
from tests import redis_server
from tests.conftest import csrf_token_from, make_test_app, unavailable

REPORT = f"/services/{demo_id('Riverside Community Hub/Community food pantry')}/report"
API = "/api/openreferral/"  # these three answer without the database, so the apps below need none
API_PATHS = [API, f"{API}openapi.json", f"{API}schema/taxonomy.json"]
# Limits per hour, not per minute, so that no test can straddle the end of a window.
LIMIT = "3 per hour"


def bare_app(folder: Path, **overrides) -> Flask:
    """An app for the API's database-free answers; each one counts from zero (the memory storage is new)."""
    config = {"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": f"sqlite:///{folder / 'unused.sqlite'}"}
    return create_app({**config, "API_RATE_LIMIT": LIMIT, **overrides})


def assert_limited_json(response) -> None:
    assert response.status_code == 429
    assert response.is_json
    assert response.json["error"]["status"] == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_problem_reports_are_limited_and_the_page_says_nothing_typed_is_lost(migrated_engine, connection):
    app = make_test_app(migrated_engine, connection, PROBLEM_REPORT_RATE_LIMIT="2 per hour")
    client = app.test_client()
    token = csrf_token_from(client.get(REPORT).text)
    sent = [
        client.post(REPORT, data={"csrf_token": token, "reason": "wrong_contact", "details": f"Report {n}"})
        for n in range(3)
    ]
    assert [response.status_code for response in sent] == [303, 303, 429]
    refused = sent[2]
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.mimetype == "text/html"
    assert "Too many attempts" in refused.text
    assert "What you entered has not been sent." in refused.text
    assert "what you typed is still there" in refused.text
    assert client.get(REPORT).status_code == 200  # reading the form is not limited


def test_the_api_has_one_budget_per_client_across_its_endpoints(tmp_path):
    client = bare_app(tmp_path).test_client()
    answers = [client.get(path) for path in API_PATHS]
    assert [response.status_code for response in answers] == [200, 200, 200]
    assert answers[0].headers["X-RateLimit-Limit"] == "3"
    assert_limited_json(client.get(API_PATHS[1]))
    # Another address has its own budget; the rest of the site is not limited by the API's.
    assert client.get(API, environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 200
    assert client.get("/static/css/app.css").status_code == 200


def test_a_client_cannot_escape_the_limit_by_claiming_another_address(tmp_path):
    client = bare_app(tmp_path).test_client()
    answers = [client.get(API, headers={"X-Forwarded-For": f"198.51.100.{n}"}) for n in range(4)]
    assert [response.status_code for response in answers] == [200, 200, 200, 429]


def test_behind_a_trusted_proxy_each_client_address_has_its_own_budget(tmp_path):
    client = bare_app(tmp_path, TRUSTED_PROXIES=1).test_client()
    first = [client.get(API, headers={"X-Forwarded-For": "198.51.100.1"}).status_code for _ in range(4)]
    assert first == [200, 200, 200, 429]
    assert client.get(API, headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 200


def test_limits_are_settings_and_a_wrong_one_stops_the_app():
    environ = {"REFERRAL_APP_API_RATE_LIMIT": "1000 per minute", "REFERRAL_APP_PROBLEM_REPORT_RATE_LIMIT": "1/second"}
    settings = settings_from_environment(environ, instance_path=Path("/tmp"))
    assert (settings["API_RATE_LIMIT"], settings["PROBLEM_REPORT_RATE_LIMIT"]) == ("1000 per minute", "1/second")
    defaults = settings_from_environment({}, instance_path=Path("/tmp"))
    assert (defaults["API_RATE_LIMIT"], defaults["PROBLEM_REPORT_RATE_LIMIT"]) == (
        "120 per minute",
        "10 per hour;50 per day",
    )
    for name in (
        "REFERRAL_APP_API_RATE_LIMIT",
        "REFERRAL_APP_PROBLEM_REPORT_RATE_LIMIT",
        "REFERRAL_APP_SELF_REFERRAL_RATE_LIMIT",
    ):
        with pytest.raises(ConfigurationError, match=name):
            settings_from_environment({name: "ten an hour"}, instance_path=Path("/tmp"))


@pytest.fixture(scope="module")
def redis_url():
    try:
        import redis
    except ImportError:
        unavailable("the redis package is not installed (pip install -e '.[test]')")
    server = redis_server.start()
    if server is None:
        unavailable("redis-server is not installed (apt-get install redis-server)")
    client = redis.Redis.from_url(server.url)
    yield server.url, client
    client.close()
    server.stop()


# Another machine: a new Python process, its app configured from the environment as in production.
OTHER_MACHINE = """
import json, sys, tempfile
from referral_app import create_app
app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/unused.sqlite"})
assert app.config["RATELIMIT_STORAGE_URI"].startswith("redis://"), app.config["RATELIMIT_STORAGE_URI"]
client = app.test_client()
print(json.dumps([client.get(sys.argv[1]).status_code for _ in range(int(sys.argv[2]))]))
"""


def test_two_app_instances_sharing_redis_keep_one_count(redis_url, tmp_path):
    url, redis = redis_url
    redis.flushdb()
    here = bare_app(tmp_path, RATELIMIT_STORAGE_URI=url).test_client()
    assert [here.get(API).status_code for _ in range(2)] == [200, 200]
    assert redis.keys("LIMITS*"), "the count is not in Redis"

    environ = {**os.environ, "REDIS_URL": url, "REFERRAL_APP_API_RATE_LIMIT": LIMIT}
    other = subprocess.run(
        [sys.executable, "-c", OTHER_MACHINE, API, "2"],
        cwd=PROJECT_ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert other.returncode == 0, other.stderr
    # The other machine's first request is the third of the three allowed; its second is refused.
    assert json.loads(other.stdout.strip().splitlines()[-1]) == [200, 429]
    assert_limited_json(here.get(API))  # and this one counts the other's requests too
