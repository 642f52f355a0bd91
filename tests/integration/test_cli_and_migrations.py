"""The command line: upgrade from empty, demo data twice, creating users; migrations both ways."""

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlmodel import Session, select

from referral_app import create_app, migrations
from referral_app.db import make_engine
from referral_app.models import User
from referral_app.services.demo_data import demo_id
from referral_app.services.health import migration_heads


@pytest.fixture
def cli(empty_database_url, tmp_path):
    app = create_app(
        {"SECRET_KEY": "test", "DATABASE_URL": empty_database_url, "MEDIA_ROOT": str(tmp_path / "cli-media")}
    )
    yield app, app.test_cli_runner()
    app.extensions["database"].engine.dispose()


def test_upgrade_then_demo_data_twice(cli):
    app, runner = cli
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    (head,) = migration_heads()
    assert f"revision {head}" in result.output
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0  # again: nothing to do, no error

    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "added 27 organisations, 65 services, 5 accounts" in first.output
    assert "6 demonstration BSL videos" in first.output
    assert len(list(Path(app.config["MEDIA_ROOT"]).iterdir())) == 6 * 3  # video, captions, poster each
    second = runner.invoke(args=["demo", "load"])
    assert "added 0 organisations, 0 services, 0 accounts" in second.output
    assert "0 demonstration BSL videos" in second.output

    with Session(app.extensions["database"].engine) as session:
        emails = set(session.exec(select(User.email)).all())
    assert emails == {
        "admin@example.org",
        "linkworker@example.org",
        "orgstaff@example.org",
        "orgstaff2@example.org",
        "commissioner@example.org",
    }


def test_create_user_command(cli):
    _app, runner = cli
    runner.invoke(args=["db", "upgrade"])
    runner.invoke(args=["demo", "load"])
    org = str(demo_id("Deaf Connect"))
    result = runner.invoke(
        args=["users", "create", "--email", "New@Example.org", "--name", "New Person", "--role", "org_staff",
              "--organisation-id", org],
        input="a-very-long-password\na-very-long-password\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Created org_staff account new@example.org" in result.output


@pytest.mark.parametrize(
    ("extra", "password", "message"),
    [
        (["--role", "admin"], "short", "at least 12 characters"),
        (["--role", "org_staff"], "a-very-long-password", "must belong to an organisation"),
        (["--role", "org_staff", "--organisation-id", "nope"], "a-very-long-password", "not a valid organisation id"),
        (["--role", "wizard"], "a-very-long-password", "Invalid value for '--role'"),
    ],
)
def test_create_user_command_explains_refusals(cli, extra, password, message):
    _app, runner = cli
    runner.invoke(args=["db", "upgrade"])
    result = runner.invoke(
        args=["users", "create", "--email", "x@example.org", "--name", "X", *extra], input=f"{password}\n{password}\n"
    )
    assert result.exit_code != 0
    assert message in result.output


def test_migrations_go_down_and_up_again(empty_database_url):
    engine = make_engine(empty_database_url)
    migrations.upgrade(engine)
    assert {"organization", "service", "user", "alembic_version"} <= set(inspect(engine).get_table_names())
    migrations.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrations.upgrade(engine)
    assert migrations.current_revisions(engine) == set(migration_heads())
    engine.dispose()


def test_models_and_migrations_agree(migrated_engine):
    """Autogenerate finds nothing to do: every model change has a migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    with migrated_engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True, "include_object": migrations.include_object}),
            SQLModel.metadata,
        )
    assert diff == []


def test_upgrade_keeps_existing_data(empty_database_url):
    """A database made at the first revision, holding data, upgrades to the latest without losing it."""
    engine = make_engine(empty_database_url)
    migrations.upgrade(engine, "0001")
    org_id = "11111111111111111111111111111111" if engine.dialect.name == "sqlite" else str(uuid.UUID(int=0x1111))
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO organization (id, name, description, created_at, updated_at) "
                "VALUES (:id, 'Old org', '', '2026-01-01', '2026-01-01')"
            ),
            {"id": org_id},
        )
        conn.execute(
            text(
                "INSERT INTO service (id, organization_id, name, description, status, created_at, updated_at) "
                "SELECT id, id, 'Old service', '', 'active', created_at, updated_at FROM organization"
            )
        )
    migrations.upgrade(engine)
    with Session(engine) as session:
        from referral_app.models import Organization, Service

        [org] = session.exec(select(Organization)).all()
        [service] = session.exec(select(Service)).all()
        assert (org.name, org.status.value, service.is_free, service.in_person) == ("Old org", "approved", True, True)
    engine.dispose()


def test_search_vector_migration_indexes_existing_documents_and_goes_back(empty_database_url):
    """0004 fills PostgreSQL's stored tsvector for documents already there; its downgrade restores 0003's index."""
    from referral_app.services.search import SearchQuery, find_service_ids

    engine = make_engine(empty_database_url)
    migrations.upgrade(engine, "0003")
    service_id = uuid.UUID(int=0x2222)
    stored_id = service_id.hex if engine.dialect.name == "sqlite" else str(service_id)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO organization (id, name, description, status, created_at, updated_at) "
                "VALUES (:id, 'Old org', '', 'approved', '2026-01-01', '2026-01-01')"
            ),
            {"id": stored_id},
        )
        conn.execute(
            text(
                "INSERT INTO service (id, organization_id, name, description, status, created_at, updated_at) "
                "SELECT id, id, 'Old service', '', 'active', created_at, updated_at FROM organization"
            )
        )
        conn.execute(
            text("INSERT INTO service_search (service_id, body) VALUES (:id, 'Old service food bank')"),
            {"id": stored_id},
        )

    def found(words: str) -> list[uuid.UUID]:
        with Session(engine) as session:
            ids, _total = find_service_ids(session=session, query=SearchQuery(text=words), now=datetime.now(UTC))
        return ids

    migrations.upgrade(engine)
    assert found("food ban") == [service_id]
    assert found("food clothes") == []
    with engine.begin() as conn:  # the stored vector follows later edits of the text
        conn.execute(text("UPDATE service_search SET body = 'Old service clothes bank'"))
    assert found("clothes") == [service_id]

    migrations.downgrade(engine, "0003")
    if engine.dialect.name == "postgresql":
        assert "body_tsv" not in {column["name"] for column in inspect(engine).get_columns("service_search")}
        with engine.connect() as conn:
            definition = conn.execute(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_service_search_body_tsv'")
            ).scalar_one()
        assert "to_tsvector('simple'::regconfig, (body)::text)" in definition
    migrations.upgrade(engine)
    assert found("clothes") == [service_id]
    engine.dispose()


def test_the_insight_facts_migration_counts_referrals_made_before_it_and_rebuild_agrees(cli):
    app, runner = cli
    runner.invoke(args=["db", "upgrade"])
    runner.invoke(args=["demo", "load"])
    engine = app.extensions["database"].engine

    def counts():
        with engine.connect() as conn:
            return [
                conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608 - our own names
                for table in ("referral", "insight_referral", "insight_tag")
            ]

    referrals, facts, tags = counts()
    assert referrals == facts and referrals > 900 and tags > referrals
    migrations.downgrade(engine, "0007")
    migrations.upgrade(engine)  # 0008 again, with every referral already there
    assert counts() == [referrals, facts, tags]
    result = runner.invoke(args=["insights", "rebuild"])
    assert result.exit_code == 0, result.output
    assert f"The insights count {referrals} referral(s)." in result.output
    assert counts() == [referrals, facts, tags]
