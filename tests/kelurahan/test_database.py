"""The shared-state layer on both engines: migrations once, serialised writers, portable SQL."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from kelurahan.database import Migration, open_database
from kelurahan.errors import KelurahanError

STEPS = [
    Migration("CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL)"),
    Migration("ALTER TABLE notes ADD COLUMN n INTEGER NOT NULL DEFAULT 0"),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request, tmp_path: Path) -> dict[str, str]:
    if request.param == "sqlite":
        return {}
    return {"KELURAHAN_DATABASE_URL": request.getfixturevalue("fresh_postgres")}


def test_migrations_run_once_and_in_order(settings, tmp_path):
    first = open_database(settings, tmp_path, "t.sqlite3")
    assert first.migrate("notes", STEPS[:1]) == 1
    assert first.migrate("notes", STEPS) == 2  # an upgrade adds only the new step
    second = open_database(settings, tmp_path, "t.sqlite3")
    assert second.migrate("notes", STEPS) == 2
    second.execute("INSERT INTO notes (id, body) VALUES (?, ?)", ("a", "satu"))
    assert first.rows("SELECT id, body, n FROM notes") == [{"id": "a", "body": "satu", "n": 0}]


def test_insert_on_conflict_is_portable(settings, tmp_path):
    db = open_database(settings, tmp_path, "t.sqlite3")
    db.migrate("notes", STEPS)
    statement = "INSERT INTO notes (id, body) VALUES (?, ?) ON CONFLICT (id) DO NOTHING"
    assert db.execute(statement, ("a", "satu")) == 1
    assert db.execute(statement, ("a", "dua")) == 0
    assert db.row("SELECT body FROM notes WHERE id = ?", ("a",)) == {"body": "satu"}


def test_a_failed_write_leaves_nothing(settings, tmp_path):
    db = open_database(settings, tmp_path, "t.sqlite3")
    db.migrate("notes", STEPS)
    with pytest.raises(RuntimeError), db.write("notes"):
        db.execute("INSERT INTO notes (id, body) VALUES (?, ?)", ("a", "satu"))
        raise RuntimeError("gagal di tengah")
    assert db.rows("SELECT * FROM notes") == []


def test_writers_of_one_store_take_turns_across_connections(settings, tmp_path):
    """Read-modify-write under `write()` from two connections never loses an update."""
    setup = open_database(settings, tmp_path, "t.sqlite3")
    setup.migrate("notes", STEPS)
    setup.execute("INSERT INTO notes (id, body) VALUES (?, ?)", ("c", "hitung"))

    def bump() -> None:
        db = open_database(settings, tmp_path, "t.sqlite3")
        for _ in range(20):
            with db.write("notes"):
                n = db.row("SELECT n FROM notes WHERE id = ?", ("c",))["n"]
                time.sleep(0.001)
                db.execute("UPDATE notes SET n = ? WHERE id = ?", (n + 1, "c"))
        db.close()

    workers = [threading.Thread(target=bump) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert setup.row("SELECT n FROM notes WHERE id = ?", ("c",)) == {"n": 60}


def test_a_wrong_url_is_one_indonesian_line_without_the_password(tmp_path):
    with pytest.raises(KelurahanError) as caught:
        open_database({"KELURAHAN_DATABASE_URL": "postgresql://app:rahasia@127.0.0.1:1/x"},
                      tmp_path, "t.sqlite3")
    assert str(caught.value).startswith(
        "tidak dapat terhubung ke PostgreSQL (postgresql://app:***@127.0.0.1:1/x): ")
    assert "rahasia" not in str(caught.value)
    with pytest.raises(KelurahanError, match="harus diawali postgresql://"):
        open_database({"KELURAHAN_DATABASE_URL": "mysql://x"}, tmp_path, "t.sqlite3")
