"""The shared model pieces: inline markup, settings, languages, reading the seed."""

from __future__ import annotations

import pytest

from toolkit.text import inline
from toolkit.project.config import load_config
from toolkit.errors import ConfigError
from toolkit.text.languages import get_language
from toolkit.readers import read_article
from toolkit.segment import segment_article

from conftest import SEED, run_cli


@pytest.mark.parametrize("text", [
    "plain", "a < b & c", "x &lt; y", "<em>tag</em> as text?", "&amp;lt;", "<b>not ours</b>",
])
def test_escape_roundtrip(text):
    assert inline.render(inline.parse(inline.escape(text))) == inline.escape(text)
    assert inline.plain_text(inline.escape(text)) == text


def test_inline_parse_and_signature():
    markup = 'See <a href="https://x.org/?a=1&amp;b=2">the <em>guide</em></a> now'
    nodes = inline.parse(markup)
    assert nodes[1].attrs["href"] == "https://x.org/?a=1&b=2"
    assert inline.render(nodes) == markup
    assert inline.signature(markup) == sorted([("a", (("href", "https://x.org/?a=1&b=2"),)),
                                               ("em", ())])
    with pytest.raises(inline.InlineError):
        inline.parse("<em>open")
    with pytest.raises(inline.InlineError):
        inline.parse("<em><strong>x</em></strong>")


def test_languages_from_cldr():
    assert get_language("ar").rtl and get_language("ar").dir == "rtl"
    assert not get_language("zh-Hans").rtl
    assert get_language("zh-Hans").gettext == "zh_Hans"
    assert get_language("pt-BR").gettext == "pt_BR"
    assert get_language("fr").plural_forms == "nplurals=2; plural=(n > 1);"
    assert get_language("es").native_name == "Español"
    with pytest.raises(ConfigError):
        get_language("xx-Nope")


def test_plural_forms_of_is_get_languages_rule():
    """Templates take the source language's rule without CLDR's names (plural_forms_of):
    the same rule get_language gives, for table and Babel languages alike, and its errors."""
    from toolkit.text.languages import PSEUDO_LANGUAGES, plural_forms_of

    tags = ["en", "es", "fr", "de", "ar", "zh-Hans", "pt-BR", "sr-Latn-RS", "ja", "ru", "pl", "cy",
            "ga", "sw", "haw", "yue", *PSEUDO_LANGUAGES]
    for tag in tags:
        assert plural_forms_of(tag) == get_language(tag).plural_forms, tag
    for bad in ("xx-Nope", "", "  "):
        with pytest.raises(ConfigError):
            plural_forms_of(bad)


def test_repository_config_lists_languages():
    from conftest import REPO
    config = load_config(REPO)
    assert {"es", "fr", "de", "ar", "zh-Hans"} <= set(config.languages)


@pytest.mark.parametrize("body, message, line", [
    ('languages = ["es", "klingon"]\n', "unknown language", 1),
    ('languages = "es"\n', "must be list", 1),
    ('colour = "blue"\n', "unknown setting 'colour'", 1),
    ('languages = ["es"\n', "invalid TOML", None),
    ('[tm]\nmin_score = "high"\n', "'tm.min_score' must be int", 2),
    ('segmentation = "word"\n', "segmentation", 1),
    ('po_dir = "../../etc"\n', "leaves the project", 1),
])
def test_bad_config(tmp_path, runner, body, message, line):
    (tmp_path / "tmkit.toml").write_text(body)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert message in str(info.value)
    if line:
        assert info.value.line == line


def test_init_creates_project(tmp_path, runner):
    target = tmp_path / "new"
    result = run_cli(runner, tmp_path, "init", str(target), "--lang", "es", "--lang", "ar")
    assert "created" in result.output
    config = load_config(target)
    assert config.languages == ["es", "ar"]
    assert (target / "source").is_dir() and (target / "po").is_dir()
    again = run_cli(runner, tmp_path, "init", str(target))
    assert "nothing to do" in again.output


def test_seed_structure():
    article = read_article(SEED, "source/failed-back-syndrome.txt")
    assert article.title == "Failed Back Syndrome"
    assert article.meta_values("breadcrumb") == ["Home", "Spine Disorders", "Spinecare"]
    assert article.meta_values("section") == ["Spine Disorders"]
    assert article.meta_values("author") == ["ISA Content Team"]
    assert article.meta_values("alias") == ["Failed Back Surgery Syndrome (FBSS)",
                                            "Chronic post-operative back pain"]
    texts = [s.text for s in segment_article(article)]
    assert not any("Font Size" in t for t in texts)
    roles = [b.role for b in article.blocks]
    assert roles.count("disclaimer") == 2


def test_every_command_is_registered_once_and_loads():
    import importlib

    from toolkit.cli import COMMANDS, cli

    modules = set(COMMANDS.values())
    defined = {c.name: m for m in modules for c in importlib.import_module(f"toolkit.cli.{m}").commands}
    assert defined == COMMANDS
    for name in COMMANDS:
        assert cli.get_command(None, name).name == name


#: The floors of docs/architecture.md: a module may import its own floor or lower ones.
FLOORS = {"toolkit.errors": 0, "toolkit.model": 0, "toolkit": 0, "toolkit.text": 1, "toolkit.project": 2,
          "toolkit.readers": 3, "toolkit.segment": 4, "toolkit.catalog": 5, "toolkit.tm": 6,
          "toolkit.checks": 6, "toolkit.xliff": 7, "toolkit.publish": 8, "toolkit.review": 9,
          "toolkit.status": 9, "toolkit.cli": 10, "toolkit.__main__": 11}


def _toolkit_imports() -> dict[str, set[str]]:
    """Every toolkit module and the toolkit modules it imports (module level and in functions)."""
    import ast
    from pathlib import Path

    import toolkit

    package = Path(toolkit.__file__).parent
    modules = {}
    for path in package.rglob("*.py"):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path

    def resolve(name: str) -> str:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    graph = {}
    for name, path in modules.items():
        base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {resolve(a.name) for a in node.names if a.name.startswith("toolkit")}
            elif isinstance(node, ast.ImportFrom):
                module = ".".join(base[:len(base) - node.level + 1] + [node.module or ""]).strip(".") \
                    if node.level else node.module or ""
                if module.startswith("toolkit"):
                    found |= {resolve(f"{module}.{a.name}") for a in node.names}
        graph[name] = found - {name, ""}
    return graph


def _floor(module: str) -> tuple[int, str]:
    home = max((k for k in FLOORS if module == k or module.startswith(k + ".")), key=len)
    return FLOORS[home], home


def test_imports_point_down():
    """docs/architecture.md: no import circle, no import of a higher floor, few loose modules."""
    from pathlib import Path

    import toolkit

    graph = _toolkit_imports()
    upward = [f"{a} -> {b}" for a, targets in graph.items() for b in targets
              if _floor(b)[0] > _floor(a)[0]
              or (_floor(b)[0] == _floor(a)[0] and _floor(b)[1] != _floor(a)[1] and _floor(a)[0] != 6)]
    assert upward == []
    # a circle: some module reaches itself again
    for start in graph:
        seen, todo = set(), list(graph[start])
        while todo:
            current = todo.pop()
            assert current != start, f"import circle through {start}"
            if current not in seen:
                seen.add(current)
                todo.extend(graph.get(current, ()))
    loose = [p.name for p in Path(toolkit.__file__).parent.glob("*.py")
             if p.name not in ("__init__.py", "__main__.py")]
    assert len(loose) <= 8, loose
