"""A TM password never reaches the terminal, in any piece or encoding (issue 21, item 1).

Every case runs ``tmkit`` as a subprocess against a real refused connection on
127.0.0.1 or the real PostgreSQL test server (wrong password), with the URL in
``TMKIT_TM_URL`` or under ``[tm] url`` in ``tmkit.toml``, and asserts that no
piece of the password (as written, decoded or percent-encoded) is in stdout or
stderr, and that what is shown is ``postgresql://user@host:port/db``.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.hardening.helpers import assert_clean_error, make_project, tmkit

#: One password per special character, each piece distinctive enough to be searched for.
PASSWORDS = {
    "slash": "Zq9/secretK7",
    "question": "Qx7?Zr9vW",
    "hash": "Kw2#Vb4Mn",
    "at": "Ty8@Hj3Pl",
    "colon": "Rg5:Nc1Sd",
    "percent": "Lm4%Wq6Xe",
    "all": "Fv8@Bn2:Jk5/Yt7#Ux3?Oi9%Ae1",
}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pieces(password: str) -> set[str]:
    """Every run of letters and digits of the password, and the password in each form."""
    forms = {password, quote(password, safe=""), quote(password, safe="").lower()}
    return forms | set(re.findall(r"[A-Za-z0-9]{2,}", password))


def _assert_no_piece(output: str, password: str) -> None:
    for piece in _pieces(password):
        assert piece not in output, (piece, output)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("secrets") / "p", po=False)


def _with_url_in_toml(root: Path, url: str) -> None:
    text = (root / "tmkit.toml").read_text(encoding="utf-8")
    escaped = url.replace("\\", "\\\\").replace('"', '\\"')
    if "\n[tm]\n" in text:
        text = text.replace("\n[tm]\n", f'\n[tm]\nurl = "{escaped}"\n', 1)
    else:
        text += f'\n[tm]\nurl = "{escaped}"\n'
    (root / "tmkit.toml").write_text(text, encoding="utf-8")


def _run(root: Path, url: str, where: str, monkeypatch, *args: str):
    monkeypatch.delenv("TMKIT_TM_URL", raising=False)
    env = {}
    if where == "env":
        env["TMKIT_TM_URL"] = url
    else:
        _with_url_in_toml(root, url)
    return tmkit(root, *(args or ("tm", "lookup", "Back pain.", "--lang", "es")), env=env)


@pytest.mark.parametrize("where", ["env", "toml"])
@pytest.mark.parametrize("name", sorted(PASSWORDS))
def test_encoded_password_refused_connection_shows_user_host_port_db(tmp_path, template, monkeypatch,
                                                                     name, where):
    """A correctly encoded URL: the connection is refused; one line, no piece of the password."""
    import shutil
    root = shutil.copytree(template, tmp_path / "p")
    password = PASSWORDS[name]
    port = _closed_port()
    url = f"postgresql://ana:{quote(password, safe='')}@127.0.0.1:{port}/tmdb"
    run = _run(root, url, where, monkeypatch)
    line = assert_clean_error(run, f"postgresql://ana@127.0.0.1:{port}/tmdb", "cannot connect")
    assert "Connection refused" in line and "***" not in line
    _assert_no_piece(run.out + run.err, password)


@pytest.mark.parametrize("where", ["env", "toml"])
@pytest.mark.parametrize("name", sorted(set(PASSWORDS) - {"question", "colon", "hash"}))
def test_unencoded_special_characters_refused_before_connecting(tmp_path, template, monkeypatch,
                                                                name, where):
    """``/ # @ %`` written raw make libpq read another host, port or database: refused, with the fix."""
    import shutil
    root = shutil.copytree(template, tmp_path / "p")
    password = PASSWORDS[name]
    url = f"postgresql://ana:{password}@127.0.0.1:{_closed_port()}/tmdb"
    run = _run(root, url, where, monkeypatch)
    line = assert_clean_error(run, "TMKIT_TM_URL" if where == "env" else "tmkit.toml:")
    assert "percent-encode" in line and "%40" in line
    _assert_no_piece(run.out + run.err, password)


@pytest.mark.parametrize("name", ["question", "colon", "hash"])
def test_unencoded_question_mark_colon_hash_read_as_written(tmp_path, template, monkeypatch, name):
    """libpq reads ``? : #`` in a password as the URL says: used, never shown."""
    import shutil
    root = shutil.copytree(template, tmp_path / "p")
    password = PASSWORDS[name]
    port = _closed_port()
    run = _run(root, f"postgresql://ana:{password}@127.0.0.1:{port}/tmdb", "env", monkeypatch)
    assert_clean_error(run, f"postgresql://ana@127.0.0.1:{port}/tmdb", "Connection refused")
    _assert_no_piece(run.out + run.err, password)


def test_the_issue_url_is_refused_and_the_message_is_not_mangled(tmp_path, template, monkeypatch):
    """The two URLs of the issue: ``Zq9/secret`` and ``p@ss:w/o#rd``."""
    import shutil
    root = shutil.copytree(template, tmp_path / "p")
    run = _run(root, "postgresql://ana:Zq9/secret@127.0.0.1:1/db", "env", monkeypatch)
    line = assert_clean_error(run, "TMKIT_TM_URL")
    assert "Zq9" not in line and "secret" not in line and "ana" not in line
    run = _run(root, "postgresql://ana:p@ss:w/o#rd@127.0.0.1:1/db", "env", monkeypatch)
    line = assert_clean_error(run, "TMKIT_TM_URL")
    assert "o#rd" not in line and "w/o" not in line and "***" not in line
    # encoded as it should be: refused by the closed port, the server's message intact
    port = _closed_port()
    run = _run(root, f"postgresql://ana:{quote('p@ss:w/o#rd', safe='')}@127.0.0.1:{port}/db", "env",
               monkeypatch)
    line = assert_clean_error(run, f"postgresql://ana@127.0.0.1:{port}/db")
    assert "p@ss" not in line and "o#rd" not in line and "***" not in line
    assert "Is the server running on that host and accepting TCP/IP connections?" in line


@pytest.mark.parametrize("name", ["all", "at", "percent"])
def test_wrong_password_server_message_has_no_piece_of_it(tmp_path, template, monkeypatch, pg_server,
                                                           name):
    """The real server refuses the password: its message is shown, scrubbed and intact."""
    import shutil
    from tests.pg_server import SUPERUSER
    root = shutil.copytree(template, tmp_path / "p")
    password = PASSWORDS[name]
    url = f"postgresql://{SUPERUSER}:{quote(password, safe='')}@127.0.0.1:{pg_server.port}/postgres"
    for where in ("env", "toml"):
        run = _run(root, url, where, monkeypatch)
        line = assert_clean_error(run, f"postgresql://{SUPERUSER}@127.0.0.1:{pg_server.port}/postgres")
        assert f'password authentication failed for user "{SUPERUSER}"' in line
        _assert_no_piece(run.out + run.err, password)


def test_password_in_the_query_is_never_shown(tmp_path, template, monkeypatch):
    import shutil
    root = shutil.copytree(template, tmp_path / "p")
    password = PASSWORDS["all"]
    port = _closed_port()
    url = f"postgresql://ana@127.0.0.1:{port}/db?password={quote(password, safe='')}&sslmode=disable"
    run = _run(root, url, "env", monkeypatch)
    assert_clean_error(run, f"postgresql://ana@127.0.0.1:{port}/db:")
    _assert_no_piece(run.out + run.err, password)
