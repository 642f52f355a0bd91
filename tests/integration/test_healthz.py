from sqlalchemy import create_engine

from tests.conftest import make_test_app


def test_healthz_reports_a_current_database(client, migrated_engine):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "database": {"status": "ok", "backend": migrated_engine.dialect.name, "schema": "current"},
    }
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_is_503_when_the_database_cannot_be_reached(migrated_engine, connection):
    app = make_test_app(migrated_engine, connection)
    unreachable = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 1})
    app.extensions["database"].engine = unreachable
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json["database"]["status"] == "unavailable"
    assert "nobody" not in response.text


def test_healthz_says_when_the_schema_is_missing(migrated_engine, connection, tmp_path):
    app = make_test_app(migrated_engine, connection)
    app.extensions["database"].engine = create_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json["database"]["schema"] == "missing"
