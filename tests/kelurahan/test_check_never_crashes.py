"""Property: whatever a file holds, `kelurahan check` reports problems and never raises.

Random bytes, random YAML front matter, front matter with the characters people mistype, and
random photo bytes behind real image signatures are written over one file of a valid city;
`check` must answer with exit 0 or 1 and `path[:line]: field: message` lines in Indonesian.
Derandomized and without an example database, so CI runs the same examples every time.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kelurahan.cli import main
from tests.conftest import make_content

POST = "sukamaju/kegiatan/2026-11-16-kerja-bakti.md"
TEXT_FILES = ("kota.yml", "sukamaju/profil.md", "sukamaju/layanan/kk.md", POST)
PHOTO = "sukamaju/media/2026-11-16-kerja-bakti-1.jpg"
KEYS = ["judul", "tanggal", "foto", "kategori", "ringkasan", "terbit", "jadwal", "draf", "nama",
        "kecamatan", "whatsapp", "urutan", "syarat", "kata_kunci", "batas", "koordinat", "sosial",
        "zona_waktu", "alamat_situs", "jam_terbit", "sayrat", "photo", "Judul"]
# PyYAML's and pydantic's own words: none may reach a lurah.
ENGLISH = re.compile(r"Input should|Value error|found (?:character|unexpected)|expected <|"
                     r"could not|mapping values|Traceback|Error\b")
EXAMPLES = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=30), st.dates(), st.datetimes(),
                    st.sampled_from(["2026-02-30", "2026-13-01", "16/11/2026", "09.00", "ya",
                                     "media/2026-11-16-kerja-bakti-1.jpg", "../kota.yml",
                                     "6471010101900001", "Asia/Makasar", "+62 812-0000-1001"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8),
                                                 inner, max_size=4)), max_leaves=12)
front_matter = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=10), values, max_size=8)


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_content(tmp_path_factory.mktemp("kota"))


@contextlib.contextmanager
def _written(content: Path, relative: str, data: bytes) -> Iterator[None]:
    """`data` in place of one file for the duration; the original is put back after."""
    path = content / relative
    original = path.read_bytes()
    path.write_bytes(data)
    try:
        yield
    finally:
        path.write_bytes(original)


def _check_reports(content: Path, relative: str, data: bytes) -> None:
    out, err = io.StringIO(), io.StringIO()
    with _written(content, relative, data), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        code = main(["check", "--content", str(content)])
    assert code in (0, 1), (code, out.getvalue(), err.getvalue())
    lines = out.getvalue().splitlines()
    assert all(line.startswith(str(content)) or line.startswith("Konten ") for line in lines), lines
    assert not ENGLISH.search(out.getvalue() + err.getvalue()), out.getvalue()


@EXAMPLES
@given(relative=st.sampled_from(TEXT_FILES), data=st.binary(max_size=400))
def test_random_bytes(city: Path, relative: str, data: bytes) -> None:
    _check_reports(city, relative, data)


@EXAMPLES
@given(relative=st.sampled_from(TEXT_FILES[1:]), meta=front_matter, body=st.text(max_size=80))
def test_random_front_matter(city: Path, relative: str, meta: dict, body: str) -> None:
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
    _check_reports(city, relative, text.encode("utf-8", "surrogatepass"))


@EXAMPLES
@given(relative=st.sampled_from(TEXT_FILES), data=st.data())
def test_mistyped_characters(city: Path, relative: str, data: st.DataObject) -> None:
    """A valid file with the characters people get wrong inserted anywhere."""
    text = (city / relative).read_text("utf-8")
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        typo = data.draw(st.sampled_from([":", "'", '"', "[", "]", "{", "\t", "- ", "  ", "\n",
                                          "#", "---\n", "&", "*", "!", "|", ">", "%", "@", "`"]))
        text = text[:at] + typo + text[at:]
    _check_reports(city, relative, text.encode("utf-8"))


@EXAMPLES
@given(signature=st.sampled_from([b"", b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n",
                                  b"RIFF\x10\x00\x00\x00WEBPVP8 ", b"GIF89a", b"BM"]),
       data=st.binary(max_size=300))
def test_random_photo_bytes(city: Path, signature: bytes, data: bytes) -> None:
    _check_reports(city, PHOTO, signature + data)
