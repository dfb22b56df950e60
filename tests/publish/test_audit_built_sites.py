"""The audit of our own sites as `kelurahan build` writes them, served on 127.0.0.1.

The sample city is built once per session (conftest); the audit must find each kelurahan's feed through the page's
`<link rel="alternate">` and agree with the content model on the last post and the counts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import pytest

from kelurahan import load_valid
from kelurahan.cli import main
from tests.conftest import SAMPLE_NOW, SampleCity
from tests.publish.audit_support import NOW, AuditServer


@pytest.fixture(scope="module")
def built(sample_city: SampleCity, tmp_path_factory):
    """(content copy pointing at the server, the server, a folder for the audit): the
    session's sample build is served as the city's own sites."""
    assert dt.datetime.fromisoformat(SAMPLE_NOW) == NOW  # the build saw the audit's "today"
    root = tmp_path_factory.mktemp("kota")
    content = root / "content"
    shutil.copytree(sample_city.content, content)
    with AuditServer() as server:
        kota = (content / "kota.yml").read_text("utf-8").split("situs_luar:")[0]
        kota = re.sub(r"alamat_situs: .*", f"alamat_situs: {server.url('/kota/')}", kota)
        (content / "kota.yml").write_text(kota, "utf-8")
        server.static["/kota/"] = sample_city.site
        yield content, server, root


def test_audit_of_built_sites_agrees_with_the_content(built):
    content, server, root = built
    out = root / "audit"
    code = main(["audit", "--izinkan-jaringan-lokal", "--content", str(content), "--now", NOW.isoformat(), "--out", str(out)])
    data = json.loads((out / "audit.json").read_text("utf-8"))
    city = load_valid(content)
    assert code == (0 if all(s["status"] == "aktif" for s in data["situs"]) else 3)
    sites = {s["slug"]: s for s in data["situs"]}
    assert set(sites) == {kel.slug for kel in city.kelurahan}
    for kel in city.kelurahan:
        site, posts = sites[kel.slug], kel.published_posts(NOW)
        assert site["feed"] == server.url(f"/kota/{kel.slug}/feed.xml")
        assert dt.datetime.fromisoformat(site["terakhir"]) == posts[0].publish_at
        assert site["hari_sejak"] == (NOW.date() - posts[0].publish_at.date()).days
        ages = [(NOW.date() - p.publish_at.date()).days for p in posts]
        assert site["kegiatan_30_hari"] == sum(1 for age in ages if age <= 30)
        assert site["peringatan"] == []
