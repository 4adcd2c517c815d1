"""``securebase db backup``: a consistent, owner-only, self-contained copy of an SQLite database, taken while
another connection is writing; advice (never the password) for PostgreSQL."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from bot.cli import main
from db.backup import backup_sqlite
from db.migrate import upgrade_to_head


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    path = tmp_path / "data" / "securebase.db"
    upgrade_to_head(f"sqlite:///{path}")
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (n INTEGER)")
        connection.executemany("INSERT INTO notes VALUES (?)", [(n,) for n in range(100)])
    return path


def _count(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT count(*) FROM notes").fetchone()[0])


def test_backup_while_another_connection_writes_holds_what_was_committed(database, tmp_path):
    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # the bot in the middle of a write
    writer.executemany("INSERT INTO notes VALUES (?)", [(n,) for n in range(100, 150)])
    result = backup_sqlite(database, tmp_path / "copy.db")
    writer.execute("COMMIT")  # the backup did not block the writer
    writer.close()
    assert _count(tmp_path / "copy.db") == 100
    assert _count(database) == 150
    assert result.revision is not None
    assert result.size_bytes == (tmp_path / "copy.db").stat().st_size


def test_the_copy_is_owner_only_self_contained_and_sound(database, tmp_path):
    copy = tmp_path / "copy.db"
    backup_sqlite(database, copy)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.db", "data"]  # no -wal, no partial file
    with sqlite3.connect(copy) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT count(*) FROM parents").fetchone()[0] == 0


def test_command_backs_up_refuses_to_overwrite_and_replaces_with_force(database, tmp_path, capsys):
    target = tmp_path / "nightly.db"
    assert main(["db", "backup", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"backed up data/securebase.db to {target} (")
    assert "schema revision 0" in out
    assert main(["db", "backup", str(target)]) == 2
    assert (
        capsys.readouterr().err
        == f"{target} exists already; pick another name, or add --force to replace it\n"
    )
    with sqlite3.connect(database) as connection:
        connection.execute("INSERT INTO notes VALUES (1000)")
    assert main(["db", "backup", str(target), "--force"]) == 0
    assert _count(target) == 101


def test_command_names_a_missing_database_or_folder(database, tmp_path, capsys):
    missing = tmp_path / "none.db"
    assert main(["db", "backup", "x.db", "--database-url", f"sqlite:///{missing}"]) == 2
    assert capsys.readouterr().err == f"--database-url: no database at {missing}\n"
    assert not missing.exists()
    assert main(["db", "backup", str(tmp_path / "no" / "such" / "folder.db")]) == 2
    assert "its folder does not exist" in capsys.readouterr().err


def test_postgresql_gets_pg_dump_advice_without_the_password(capsys):
    url = "postgresql://bot:s3cret@db.internal:5432/securebase"
    assert main(["db", "backup", "sb.dump", "--database-url", url]) == 2
    err = capsys.readouterr().err
    assert 'pg_dump --format=custom --file sb.dump "postgresql://bot@db.internal:5432/securebase"' in err
    assert "pg_restore" in err
    assert "s3cret" not in err


def test_a_link_planted_beside_the_target_is_not_followed(database, tmp_path):
    """Someone who can write to the backup's folder plants links where a fixed temporary name would go: the
    backup neither truncates nor writes their targets, and the copy is a plain file."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    for name in (".copy.db.partial", ".copy.db.partial-journal"):
        (tmp_path / name).symlink_to(victim)
    backup_sqlite(database, tmp_path / "copy.db")
    assert victim.read_text() == "keep me"
    assert not (tmp_path / "copy.db").is_symlink()
    assert _count(tmp_path / "copy.db") == 100
