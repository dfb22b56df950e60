"""The model's computed values: times in the city's zone, numbering, links, parsing edge cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kelurahan import load_valid
from kelurahan.dates import long_date, month_year
from kelurahan.phone import display_phone, normalise_whatsapp
from kelurahan.pii import contains_identity_number, find_identity_numbers
from kelurahan.settings import Settings, token_name
from kelurahan.yamlfile import parse_yaml
from tests.conftest import write

WITA = ZoneInfo("Asia/Makassar")


def test_post_defaults_to_tanggal_at_jam_terbit_in_city_zone(content: Path) -> None:
    post = load_valid(content).get("sukamaju").posts[0]
    assert post.publish_at == dt.datetime(2026, 11, 16, 9, 0, tzinfo=WITA)
    assert post.publish_at.astimezone(dt.UTC).hour == 1  # 09:00 WITA is 01:00 UTC
    assert post.channels == ("facebook", "instagram")  # from the profile
    assert post.url_path == "sukamaju/kegiatan/2026-11-16-kerja-bakti/"
    assert post.card_path("facebook") == "sukamaju/kartu/2026-11-16-kerja-bakti/facebook.jpg"


@pytest.mark.parametrize("zone, utc_hour", [("Asia/Jakarta", 2), ("Asia/Makassar", 1),
                                            ("Asia/Jayapura", 0)])
def test_same_local_schedule_differs_by_zone(content: Path, zone: str, utc_hour: int) -> None:
    kota = content / "kota.yml"
    kota.write_text(kota.read_text("utf-8").replace("Asia/Makassar", zone), "utf-8")
    post_file = content / "sukamaju/kegiatan/2026-11-16-kerja-bakti.md"
    post_file.write_text(post_file.read_text("utf-8").replace(
        "tanggal: 2026-11-16", 'tanggal: 2026-11-16\njadwal: "2026-11-16T09:00"'), "utf-8")
    post = load_valid(content).get("sukamaju").posts[0]
    assert post.publish_at.tzinfo == ZoneInfo(zone)
    assert post.publish_at.astimezone(dt.UTC).hour == utc_hour


def test_jam_terbit_is_a_clock_not_base_60(content: Path) -> None:
    kota = content / "kota.yml"
    kota.write_text(kota.read_text("utf-8").replace('jam_terbit: "09:00"', "jam_terbit: 10:30"), "utf-8")
    assert load_valid(content).publish_time == dt.time(10, 30)
    assert parse_yaml("a: 10:30") == {"a": "10:30"}


@pytest.mark.parametrize("written, clock", [("16.00", dt.time(16)), ("9.00", dt.time(9)),
                                             ("9", dt.time(9)), ("09.30", dt.time(9, 30))])
def test_unquoted_jam_terbit_is_the_hour_written(content: Path, written: str,
                                                 clock: dt.time) -> None:
    """YAML reads `16.00` as the number 16.0; it used to become 16 seconds after midnight, so
    posts without `jadwal` went live at 08.00 WITA instead of 16.00."""
    kota = content / "kota.yml"
    kota.write_text(kota.read_text("utf-8").replace('jam_terbit: "09:00"', f"jam_terbit: {written}"),
                    "utf-8")
    assert load_valid(content).publish_time == clock


def test_numbers_in_text_fields_are_shown_as_written(content: Path) -> None:
    """`10.000` is ten thousand rupiah and `08.00` a time, not 10.0 and 8.0; a number with a
    leading zero is a phone number, not octal (0541700100 became 92766272)."""
    profile = content / "sukamaju/profil.md"
    text = profile.read_text("utf-8")
    text = text.replace("telepon: (0541) 700-1001", "telepon: 0541700100")
    text = text.replace("jam_layanan: Senin–Jumat 08.00–15.00 WITA", "jam_layanan: 08.00")
    profile.write_text(text, "utf-8")
    service = content / "sukamaju/layanan/kk.md"
    service.write_text(service.read_text("utf-8").replace("urutan: 2", "urutan: 2\nbiaya: 10.000"),
                       "utf-8")
    kel = load_valid(content).get("sukamaju")
    assert kel.phone == "0541700100"
    assert kel.office_hours == "08.00"
    assert next(s for s in kel.services if s.slug == "kk").cost == "10.000"
    assert {k: str(v) for k, v in parse_yaml("a: +62541700100\nb: 25.500\nc: 1_000").items()} \
        == {"a": "+62541700100", "b": "25.500", "c": "1_000"}
    assert parse_yaml("a: 25.500\nb: 017\nc: 12") == {"a": 25.5, "b": "017", "c": 12}


def test_a_name_that_says_kelurahan_or_kecamatan_is_not_doubled(content: Path) -> None:
    """`nama: Kelurahan Sukamaju` showed "Kelurahan Kelurahan Sukamaju" on the site and cards."""
    profile = content / "sukamaju/profil.md"
    text = profile.read_text("utf-8")
    name = next(line for line in text.splitlines() if line.startswith("nama:"))
    district = next(line for line in text.splitlines() if line.startswith("kecamatan:"))
    text = text.replace(name, "nama: kelurahan " + name.split(":", 1)[1].strip())
    text = text.replace(district, "kecamatan: Kecamatan " + district.split(":", 1)[1].strip())
    profile.write_text(text, "utf-8")
    kel = load_valid(content).get("sukamaju")
    assert (kel.name, kel.district) == (name.split(":", 1)[1].strip(),
                                        district.split(":", 1)[1].strip())
    assert kel.display_name == f"Kelurahan {kel.name}"


def test_draft_and_scheduled_posts_are_hidden_until_due(content: Path) -> None:
    write(content / "sukamaju/kegiatan/2026-11-20-rapat.md",
          "---\njudul: Rapat\ntanggal: 2026-11-20\ndraf: ya\n---\nIsi.\n")
    write(content / "sukamaju/kegiatan/2026-11-21-lomba.md",
          "---\njudul: Lomba\ntanggal: 2026-11-21\njadwal: 2026-11-30T09:00\n---\nIsi.\n")
    kel = load_valid(content).get("sukamaju")
    before = dt.datetime(2026, 11, 30, 8, 59, tzinfo=WITA)
    assert [p.slug for p in kel.published_posts(before)] == ["kerja-bakti"]
    after = dt.datetime(2026, 11, 30, 9, 0, tzinfo=WITA)
    assert [p.slug for p in kel.published_posts(after)] == ["lomba", "kerja-bakti"]


def test_services_numbered_by_urutan(content: Path) -> None:
    kel = load_valid(content).get("sukamaju")
    assert [(s.number, s.slug) for s in kel.services] == [(1, "ktp-el"), (2, "kk")]
    assert kel.services[0].cost == "Gratis"
    assert kel.whatsapp == "+6281200001001"
    assert kel.whatsapp_link("Halo, saya ingin bertanya tentang KTP-el") == (
        "https://wa.me/6281200001001?text=Halo%2C%20saya%20ingin%20bertanya%20tentang%20KTP-el")


@pytest.mark.parametrize("raw", ["0812-3456-7890", "62812 3456 7890", "+62 812-3456-7890",
                                 "(0812) 3456.7890", "6281234567890", 6281234567890])
def test_whatsapp_numbers_normalise(raw: object) -> None:
    assert normalise_whatsapp(raw) == "+6281234567890"


@pytest.mark.parametrize("raw", ["0812", "+1 555 0100", "08123456789012345", "nomor"])
def test_bad_whatsapp_numbers_are_refused(raw: str) -> None:
    with pytest.raises(ValueError, match=r"nomor|Indonesia"):
        normalise_whatsapp(raw)


@pytest.mark.parametrize("text", [
    "6471010101900001", "NIK: 6471 0101 0190 0001", "KK 6471-0101-0190-0001.",
    "(3201.0101.0190.0001)",
    # as staff paste them from forms and chats
    "Ibu Sari, NIK 6471/0101/0101/0001.", "Bapak Joko, NIK 3201  1203  0405  0006.",
    "NIK 6471 - 0101 - 0190 - 0001", "\uff16\uff14\uff17\uff11\uff10\uff11\uff10\uff11\uff10\uff11"
    "\uff19\uff10\uff10\uff10\uff10\uff11", "6471\u200b0101\u200b0190\u200b0001",
    "6471\u00a00101\u00a00190\u00a00001", "NIK 6471010101900001 telp 0812 3456 7890"])
def test_identity_numbers_found(text: str) -> None:
    assert contains_identity_number(text)
    found = find_identity_numbers(f"judul\n{text}\n")
    assert [(f.line, f.masked[:4], f.masked[-4:]) for f in found] in (
        [(2, "6471", "0001")], [(2, "3201", "0001")], [(2, "3201", "0006")])


@pytest.mark.parametrize("text", ["0812 3456 7890", "+62 812-3456-7890", "081234567890123",
                                  "Rp 1.500.000", "Kode 64.99.01.1001", "12345678901234567890",
                                  "0123456789012345", "telp 0812-3456-7890 / 0813-1111-2222",
                                  # a date and a time range: 16 digits, set off in mixed ways
                                  "20/11/2026 08.00-12.00", "20.11.2026 08.00-12.00",
                                  "Senin 20-11-2026 08.00 - 12.00 WITA", "+6281234567890123"])
def test_phone_and_other_numbers_are_not_identity_numbers(text: str) -> None:
    assert not contains_identity_number(text)


def test_indonesian_dates() -> None:
    assert long_date(dt.date(2025, 10, 27)) == "Senin, 27 Oktober 2025"
    assert month_year(dt.date(2026, 8, 1)) == "Agustus 2026"


def test_settings_environment_wins_over_secrets_file(tmp_path: Path) -> None:
    secrets = write(tmp_path / "rahasia.env", "# token\nKELURAHAN_BUKIT_INDAH_FACEBOOK_TOKEN='abc'\n"
                    "GRAPH_API_URL=http://127.0.0.1:9/\n")
    settings = Settings.from_environment({"KELURAHAN_SECRETS_FILE": str(secrets),
                                          "GRAPH_API_URL": "http://127.0.0.1:8080"})
    assert token_name("bukit-indah", "facebook") == "KELURAHAN_BUKIT_INDAH_FACEBOOK_TOKEN"
    assert settings.token("bukit-indah", "facebook") == "abc"
    assert settings.graph_api_url == "http://127.0.0.1:8080"
    assert settings.graph_api_version == "v21.0"


def test_secrets_file_is_read_as_dotenv(tmp_path: Path) -> None:
    """Quotes keep a `#` or a space in a secret; `export` lines and trailing comments work."""
    secrets = write(tmp_path / "rahasia.env", 'WHATSAPP_APP_SECRET="a#b c"\n'
                    "export GRAPH_API_VERSION=v22.0  # versi baru\nKOSONG\n")
    settings = Settings.from_environment({"KELURAHAN_SECRETS_FILE": str(secrets)})
    assert settings.get("WHATSAPP_APP_SECRET") == "a#b c"
    assert settings.graph_api_version == "v22.0"
    assert settings.get("KOSONG") is None


@pytest.mark.parametrize("number, shown", [("+6281200001001", "+62 812-0000-1001"),
                                           ("+62812345678", "+62 812-34-5678"),
                                           ("+6281234567890", "+62 812-3456-7890")])
def test_whatsapp_numbers_are_shown_in_readable_groups(number: str, shown: str) -> None:
    assert display_phone(number) == shown
