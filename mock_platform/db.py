"""Database engine and the session each request works in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


class Base(DeclarativeBase):
    """Declarative base of every table of the mock."""


def make_engine(url: str) -> Engine:
    """An engine for ``url``; for SQLite the folder is created and writes are serialised."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        # A writer waits its turn rather than failing at once with "database is locked".
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
            # WAL keeps readers going while a submit writes; foreign keys are off by default.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
            # pysqlite's own BEGIN comes too late and never for SAVEPOINTs (SQLAlchemy's
            # "pysqlite serializable" recipe): the transaction is begun below instead.
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin_immediate(connection) -> None:  # noqa: ANN001
            # Every request writes (its session row at least). Taking the write lock at
            # BEGIN serialises them; a deferred BEGIN lets two requests read the same
            # state and then fail, in WAL mode, when the second upgrades to a writer.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One session per request: committed by the handler, rolled back on any error."""
    session = factory()
    try:
        yield session
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
