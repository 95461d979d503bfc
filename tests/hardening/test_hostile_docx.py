"""Hostile Word files through ``tmkit extract`` (subprocess) (issue 21 items 3, 4, 5, 8).

Every file is generated here (python-docx, then the zip rewritten with
:mod:`zipfile`; the huge members written as streams of zeros, never held in
memory), never checked in.  Peak memory of the ``tmkit`` process is measured
with ``/usr/bin/time -v`` (maximum resident set size).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Callable, Optional, Union

import docx
import pytest

from tests.hardening.helpers import (assert_clean_error, assert_unchanged, make_project, tmkit,
                                     tree_hash, write)

GIB, MIB = 1 << 30, 1 << 20
TIME = "/usr/bin/time"
#: The issue's bound on the peak memory of ``tmkit extract`` on an inflating file.
PEAK_LIMIT_KB = 500 * 1024
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"

Member = Union[bytes, Callable[[io.RawIOBase], None]]


def base_docx(title: Optional[str] = "Back pain", text: str = "Say hello now.") -> bytes:
    document = docx.Document()
    if title:
        document.add_paragraph(title, style="Title")
    if text:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rezip(data: bytes, members: dict[str, Optional[Member]]) -> bytes:
    """``data`` with members replaced (bytes, or a function writing a stream), added, or
    dropped (``None``)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename not in members:
                target.writestr(info.filename, source.read(info.filename))
        for name, member in members.items():
            if member is None:
                continue
            if isinstance(member, bytes):
                target.writestr(name, member)
            else:
                with target.open(name, "w", force_zip64=True) as stream:
                    member(stream)
    return out.getvalue()


def zeros(size: int, head: bytes = b"", tail: bytes = b"") -> Callable:
    """A stream writer of ``head``, ``size`` bytes of ``filler``, ``tail`` (16 MiB at a time)."""
    def write_to(stream) -> None:
        stream.write(head)
        chunk = b" " * (16 * MIB) if head else bytes(16 * MIB)
        left = size
        while left > 0:
            stream.write(chunk[:left])
            left -= len(chunk)
        stream.write(tail)
    return write_to


def member(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("docx") / "p", po=False)
    for path in (root / "source").iterdir():
        path.unlink()
    return root


@pytest.fixture
def root(template, tmp_path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "p", symlinks=True))


def _measured_extract(root: Path) -> tuple[subprocess.CompletedProcess, int]:
    """``tmkit extract`` under ``/usr/bin/time -v``: the process and its peak RSS in kB."""
    if not os.path.exists(TIME):
        pytest.skip("GNU time (/usr/bin/time) is not installed; install the 'time' package")
    proc = subprocess.run([TIME, "-v", sys.executable, "-m", "toolkit", "-C", str(root), "extract"],
                          capture_output=True, text=True, timeout=600, cwd=root)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    assert peak, proc.stderr
    tmkit_err = "\n".join(l for l in proc.stderr.splitlines() if not l.startswith(("\t", "Command ")))
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout, tmkit_err), int(peak.group(1))


def test_image_inflating_to_3_gib_is_never_unpacked(root):
    """A 3 MB .docx whose image part inflates to 3 GiB: read (the image ignored), peak < 500 MB."""
    data = base_docx()
    rels = member(data, "word/_rels/document.xml.rels").replace(
        "</Relationships>", f'<Relationship Id="rId99" Type="{IMAGE_REL}" Target="media/image1.png"/>'
                            "</Relationships>")
    types = member(data, "[Content_Types].xml").replace(
        "</Types>", '<Override PartName="/word/media/image1.png" ContentType="image/png"/></Types>')
    bomb = rezip(data, {"word/_rels/document.xml.rels": rels.encode(), "[Content_Types].xml": types.encode(),
                        "word/media/image1.png": zeros(3 * GIB)})
    assert len(bomb) < 4 * MIB
    write(root / "source" / "bomb.docx", bomb)
    proc, peak = _measured_extract(root)
    print(f"peak RSS of tmkit extract: {peak} kB")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert peak < PEAK_LIMIT_KB, f"peak RSS {peak} kB"
    pot = (root / "po" / "templates" / "bomb.pot").read_text(encoding="utf-8")
    assert 'msgid "Say hello now."' in pot


def test_document_xml_inflating_to_2_gib_is_refused(root):
    data = base_docx()
    body = member(data, "word/document.xml")
    head, _, tail = body.partition("<w:body>")
    bomb = rezip(data, {"word/document.xml": zeros(2 * GIB, (head + "<w:body>").encode(), tail.encode())})
    assert len(bomb) < 4 * MIB
    write(root / "source" / "bomb.docx", bomb)
    before = tree_hash(root)
    proc, peak = _measured_extract(root)
    print(f"peak RSS of tmkit extract: {peak} kB")
    run_err = proc.stderr
    lines = [l for l in run_err.splitlines() if l.strip()]
    assert proc.returncode == 2 and len(lines) == 1, run_err
    assert lines[0].startswith("tmkit: error: source/bomb.docx: ")
    assert "word/document.xml inflates to more than 64 MiB" in lines[0]
    assert peak < PEAK_LIMIT_KB, f"peak RSS {peak} kB"
    assert_unchanged(before, tree_hash(root))


def test_part_and_total_limits_are_settings(root):
    """``[sources] docx_part_mib`` / ``docx_total_mib`` in tmkit.toml bound what is unpacked."""
    data = base_docx()
    body = member(data, "word/document.xml")
    head, _, tail = body.partition("<w:body>")
    big = rezip(data, {"word/document.xml": zeros(3 * MIB, (head + "<w:body>").encode(), tail.encode())})
    write(root / "source" / "big.docx", big)
    assert tmkit(root, "extract").code == 0          # 3 MiB: under the default 64
    (root / "source" / "big.docx").unlink()
    text = (root / "tmkit.toml").read_text(encoding="utf-8")
    write(root / "tmkit.toml", text + "\n[sources]\ndocx_part_mib = 2\n")
    write(root / "source" / "big2.docx", big)
    assert_clean_error(tmkit(root, "extract"), "source/big2.docx",
                       "word/document.xml inflates to more than 2 MiB", "docx_part_mib")
    write(root / "tmkit.toml", text + "\n[sources]\ndocx_total_mib = 3\n")
    assert_clean_error(tmkit(root, "extract"), "source/big2.docx",
                       "XML parts inflate to more than 3 MiB", "docx_total_mib")
    write(root / "tmkit.toml", text + "\n[sources]\ndocx_total_mib = 0\n")
    assert_clean_error(tmkit(root, "status"), "tmkit.toml:", "'sources.docx_total_mib' must be between")


def _nested_footnote(depth: int) -> bytes:
    """A footnote whose text sits inside ``depth`` nested ``<w:ins>`` (tracked insertions)."""
    from tests.docx_helpers import Footnotes
    document = docx.Document()
    document.add_paragraph("Back pain", style="Title")
    notes = Footnotes(document)
    notes.ref(document.add_paragraph("Say hello now."), "NOTE")
    notes.attach()
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    text = member(data, "word/footnotes.xml")
    plain = '<w:r><w:t xml:space="preserve"> NOTE</w:t></w:r>'
    assert plain in text
    deep = ('<w:ins w:id="1" w:author="x">' * depth + "<w:r><w:t>deep</w:t></w:r>" + "</w:ins>" * depth)
    return rezip(data, {"word/footnotes.xml": text.replace(plain, deep, 1).encode()})


def test_ins_nested_1500_deep_in_footnotes_is_one_line(root):
    data = _nested_footnote(1500)
    assert member(data, "word/footnotes.xml").count("<w:ins") == 1500
    write(root / "source" / "deep.docx", data)
    before = tree_hash(root)
    line = assert_clean_error(tmkit(root, "extract"), "source/deep.docx", "word/footnotes.xml, line",
                              "nested more than 200 deep")
    assert "RecursionError" not in line
    assert_unchanged(before, tree_hash(root))


def test_ins_nested_a_few_deep_is_read(root):
    write(root / "source" / "ok.docx", _nested_footnote(20))
    assert tmkit(root, "extract").code == 0
    assert 'msgid "deep"' in (root / "po" / "templates" / "ok.pot").read_text(encoding="utf-8")


ENTITY_DOCTYPE = '<!DOCTYPE w:document [<!ENTITY e "X">]>'


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "docProps/core.xml",
                                  "word/_rels/document.xml.rels", "[Content_Types].xml"])
def test_dtd_and_entities_refused_in_every_part(root, part):
    data = base_docx()
    text = member(data, part)
    declaration, _, rest = text.partition("?>")
    hostile = f"{declaration}?>\n{ENTITY_DOCTYPE}{rest}"
    if part == "word/document.xml":
        hostile = hostile.replace("Say hello now.", "Say &e; now.")
        assert "Say &e; now." in hostile
    write(root / "source" / "entity.docx", rezip(data, {part: hostile.encode()}))
    before = tree_hash(root)
    assert_clean_error(tmkit(root, "extract"), "source/entity.docx", part, "DTD or entities")
    assert_unchanged(before, tree_hash(root))


def test_external_entity_refused(root):
    data = base_docx()
    text = member(data, "word/document.xml")
    declaration, _, rest = text.partition("?>")
    hostile = (f'{declaration}?>\n<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               + rest.replace("Say hello now.", "&x;"))
    write(root / "source" / "xxe.docx", rezip(data, {"word/document.xml": hostile.encode()}))
    line = assert_clean_error(tmkit(root, "extract"), "word/document.xml", "DTD or entities")
    assert "root:" not in line


def test_no_core_properties_and_empty_body_is_refused(root):
    """No docProps/core.xml and no text: refused like any empty source (not "Word Document")."""
    data = base_docx(title=None, text="")
    rels = re.sub(r'<Relationship [^>]*core-properties"[^>]*/>', "", member(data, "_rels/.rels"))
    types = member(data, "[Content_Types].xml").replace(
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>', "")
    assert "core-properties" not in rels and "core.xml" not in types
    write(root / "source" / "empty.docx", rezip(data, {"docProps/core.xml": None, "_rels/.rels": rels.encode(),
                                                       "[Content_Types].xml": types.encode()}))
    before = tree_hash(root)
    line = assert_clean_error(tmkit(root, "extract"), "source/empty.docx", "no title or text found")
    assert "Word Document" not in line
    assert_unchanged(before, tree_hash(root))


def test_no_core_properties_with_text_is_read(root):
    data = base_docx(title=None, text="Say hello now.")
    rels = re.sub(r'<Relationship [^>]*core-properties"[^>]*/>', "", member(data, "_rels/.rels"))
    write(root / "source" / "plain.docx", rezip(data, {"docProps/core.xml": None, "_rels/.rels": rels.encode()}))
    assert tmkit(root, "extract").code == 0
    pot = (root / "po" / "templates" / "plain.pot").read_text(encoding="utf-8")
    assert 'msgid "Say hello now."' in pot and "Word Document" not in pot
