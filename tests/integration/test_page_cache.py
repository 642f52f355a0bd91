"""The minute's cache of public pages, and search counts written in batches (issue 8)."""

from datetime import UTC, datetime

import pytest
from flask import flash
from flask import session as flask_session
from sqlmodel import func, select

from referral_app import page_cache
from referral_app.models import SearchLog
from referral_app.services import search_log
from referral_app.services.search_index import refresh_search_documents
from tests.factories import make_organization, make_service


@pytest.fixture
def cached_app(app):
    app.config.update(PAGE_CACHE_SECONDS=60)
    return app


@pytest.fixture
def numbat(db_session):
    service = make_service(db_session, organization=make_organization(db_session), name="Numbat pantry")
    refresh_search_documents(session=db_session, service_ids=[service.id])
    return service


def rename(db_session, service, name):
    service.name = name
    db_session.add(service)
    db_session.flush()
    refresh_search_documents(session=db_session, service_ids=[service.id])


class Clock:
    """Stands in for page_cache's datetime, so a test can move to the next minute."""

    now = datetime(2026, 11, 25, 10, 0, 5, tzinfo=UTC)

    @classmethod
    def now_(cls, tz=None):
        return cls.now


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(page_cache, "datetime", type("FakeDatetime", (), {"now": Clock.now_}))
    Clock.now = datetime(2026, 11, 25, 10, 0, 5, tzinfo=UTC)
    return Clock


def searches(db_session) -> int:
    return db_session.exec(select(func.count()).select_from(SearchLog)).one()


def test_a_public_page_is_kept_for_the_rest_of_its_minute_and_searches_still_count(
    cached_app, client, db_session, numbat, clock
):
    before = searches(db_session)
    assert "Numbat pantry" in client.get("/services?q=numbat").text
    assert "Numbat pantry" in client.get(f"/services/{numbat.id}").text
    rename(db_session, numbat, "Numbat larder")

    assert "Numbat pantry" in client.get("/services?q=numbat").text  # the same minute: the kept page
    assert "Numbat pantry" in client.get(f"/services/{numbat.id}").text
    assert searches(db_session) == before + 2  # every search is counted, kept page or not

    clock.now = clock.now.replace(minute=1)
    assert "Numbat larder" in client.get("/services?q=numbat").text
    assert "Numbat larder" in client.get(f"/services/{numbat.id}").text


def test_pages_differ_by_language_query_and_htmx(cached_app, client, db_session, numbat, clock):
    english = client.get("/services?q=numbat").text
    welsh = client.get("/services?q=numbat&lang=cy").text
    assert '<html lang="cy"' in welsh and '<html lang="en"' in english
    assert client.get("/services?q=numbat&lang=cy").text == welsh
    part = client.get("/services?q=numbat", headers={"HX-Request": "true"}).text
    assert "<html" not in part and "Numbat pantry" in part
    assert "<html" in client.get("/services?q=numbat").text
    rename(db_session, numbat, "Numbat larder")
    assert "Numbat larder" in client.get("/services?q=larder").text  # another query: built now
    assert "Numbat pantry" in client.get("/services?lang=cy&q=numbat").text  # the same query in another order


def test_signed_in_staff_and_waiting_messages_always_get_a_fresh_page(
    cached_app, client, act_as, db_session, numbat, clock
):
    client.get(f"/services/{numbat.id}")
    rename(db_session, numbat, "Numbat larder")
    with cached_app.test_request_context():
        flash("A message")
        flashes = flask_session["_flashes"]
    with client.session_transaction() as session:
        session["_flashes"] = flashes
    page = client.get(f"/services/{numbat.id}").text
    assert "Numbat larder" in page and "A message" in page
    assert "Numbat pantry" in client.get(f"/services/{numbat.id}").text  # the message shown: the kept page again
    act_as("link_worker")
    assert "Numbat larder" in client.get(f"/services/{numbat.id}").text


def test_the_cache_is_off_with_zero_seconds(client, db_session, numbat):
    client.get(f"/services/{numbat.id}")
    rename(db_session, numbat, "Numbat larder")
    assert "Numbat larder" in client.get(f"/services/{numbat.id}").text


def test_searches_are_written_in_batches_when_due(app, client, db_session, numbat, monkeypatch):
    app.config.update(SEARCH_LOG_FLUSH_SECONDS=300)
    monkeypatch.setattr(search_log, "MAX_BATCH_ROWS", 3)
    bind = app.extensions["database"].bind
    before = searches(db_session)
    for words in ("numbat", "food", "advice"):
        response = client.get(f"/services?q={words}")
        assert searches(db_session) == before  # nothing written while the page is answered
        response.close()  # the server closes the response once it is sent: the third one writes the batch
    assert searches(db_session) == before + 3 and search_log.waiting(bind) == 0
    assert {row.terms for row in db_session.exec(select(SearchLog)).all()} >= {"numbat", "food", "advice"}

    client.get("/services?q=wombat").close()
    assert (searches(db_session), search_log.waiting(bind)) == (before + 3, 1)
    assert search_log.flush(bind) == 1  # what the worker does when it exits
    assert searches(db_session) == before + 4


def test_a_batch_is_due_when_its_oldest_search_has_waited(db_session):
    now = [100.0]
    row = {"created_at": datetime.now(UTC), "terms": "x", "filters": "{}", "outcode": None, "locale": "en"}
    assert (
        search_log.record({**row, "result_count": 1}, session=db_session, delay_seconds=5, clock=lambda: now[0]) is None
    )
    now[0] = 104.0
    assert (
        search_log.record({**row, "result_count": 2}, session=db_session, delay_seconds=5, clock=lambda: now[0]) is None
    )
    now[0] = 105.0
    write = search_log.record({**row, "result_count": 3}, session=db_session, delay_seconds=5, clock=lambda: now[0])
    assert write is not None
    before = searches(db_session)
    assert write() == 3 and searches(db_session) == before + 3


def test_shared_figures_are_built_once_a_minute(cached_app, clock):
    builds = []

    def build():
        builds.append(1)
        return len(builds)

    with cached_app.test_request_context():
        assert [page_cache.remembered("figures", build) for _ in range(3)] == [1, 1, 1]
        clock.now = clock.now.replace(minute=1)
        assert page_cache.remembered("figures", build) == 2
        cached_app.config.update(PAGE_CACHE_SECONDS=0)
        assert [page_cache.remembered("figures", build) for _ in range(2)] == [3, 4]


def test_a_kept_page_is_kept_compressed(cached_app, client, numbat, clock, monkeypatch):
    import flask_compress.flask_compress as library

    made = []
    original = library._compress_data
    monkeypatch.setattr(library, "_compress_data", lambda *args: made.append(1) or original(*args))
    headers = {"Accept-Encoding": "br"}
    first = client.get(f"/services/{numbat.id}", headers=headers)
    second = client.get(f"/services/{numbat.id}", headers=headers)
    assert first.headers["Content-Encoding"] == second.headers["Content-Encoding"] == "br"
    assert first.data == second.data and len(made) == 1
    assert (
        client.get(f"/services/{numbat.id}", headers={"Accept-Encoding": "gzip"}).headers["Content-Encoding"] == "gzip"
    )
    assert len(made) == 2  # another encoding: its own copy
    client.get("/help", headers=headers)  # a page this cache does not keep: compressed each time
    client.get("/help", headers=headers)
    assert len(made) == 4
