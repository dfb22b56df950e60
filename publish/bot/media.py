"""Photos in and cards out through the Cloud API media endpoints.

In: `GET /{media-id}` gives a short-lived URL, `sha256` and `file_size`; the URL is downloaded
with the access token, checked against both, sniffed (JPEG, PNG, WebP, HEIC only) and
re-encoded as a JPEG without EXIF (no GPS position of the staff member's phone). Out:
`POST /{phone-id}/media` uploads the draft card and gives the id the reply message shows.
A photo gets `DOWNLOAD_SECONDS` in all (metadata and download), however slowly it trickles.
Every failure is a `Fetched` with the Indonesian answer for the staff member, never an
exception; no URL, token or photo byte reaches the log.
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
DOWNLOAD_SECONDS = 10.0  # the whole photo (meta and download): a trickling server gives up then
MAX_SIDE = 2560  # enough for a 2× website photo and every card
RESEND = "Silakan kirim ulang fotonya."
_MAGIC = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}
_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"}


@dataclass(frozen=True)
class Fetched:
    """A photo ready for a draft (`jpeg`), or why not (`problem`, said to the staff member)."""

    jpeg: bytes | None = None
    problem: str | None = None


def too_big(size: int, *, document: bool = True) -> str:
    """Sent as a document, WhatsApp shrinks it when sent as a photo; a photo must be made
    smaller on the phone first."""
    head = f"Foto terlalu besar ({size / 1024 / 1024:.1f} MB; batas {MAX_BYTES // 1024 // 1024} MB)."
    if document:
        return f"{head} Kirim sebagai foto biasa (bukan dokumen) supaya WhatsApp mengecilkannya."
    return (f"{head} Kecilkan ukuran fotonya dulu (misalnya dengan mengedit atau memotongnya di "
            "ponsel), lalu kirim ulang.")


WRONG_TYPE = ("Berkas ini bukan foto yang bisa dipakai. Kirim foto JPG, PNG, WebP atau HEIC "
              "(bukan PDF, video atau dokumen lain).")
EXPIRED = f"Foto sudah tidak tersedia di WhatsApp (kedaluwarsa atau dihapus). {RESEND}"
TIMED_OUT = "WhatsApp terlalu lama mengirim foto. Tunggu sebentar, lalu kirim ulang fotonya."
DAMAGED = f"Foto rusak saat diterima (isi tidak cocok dengan yang dikirim WhatsApp). {RESEND}"
NO_ACCESS = ("Bot tidak diizinkan mengambil foto dari WhatsApp: token akses WhatsApp sudah tidak "
             "berlaku. Hubungi Diskominfo untuk memperbaruinya, lalu kirim ulang fotonya.")
UNAVAILABLE = "Foto belum bisa diambil dari WhatsApp karena gangguan. Coba kirim ulang beberapa menit lagi."


class MediaClient:
    """One `requests` session with the bearer token; thread-safe enough for one desk worker."""

    def __init__(self, base_url: str, version: str, token: str, *, timeout: float = 20.0,
                 deadline: float = DOWNLOAD_SECONDS) -> None:
        import requests

        self._timeout = (min(3.05, timeout), timeout)  # connect, read (seconds)
        self._deadline = deadline
        self._requests = requests
        self._base = f"{base_url.rstrip('/')}/{version}"
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Bearer {token}"

    def close(self) -> None:
        self._session.close()

    def fetch(self, media_id: str, *, document: bool = True) -> Fetched:
        """The photo behind `media_id`, checked and without EXIF; a problem otherwise.
        `document`: it was sent as a file, not as a photo (what a too big one is told)."""
        if not media_id.isdigit():  # Cloud API media ids are numbers; never a path
            return Fetched(problem=EXPIRED)
        until = time.monotonic() + self._deadline
        meta = self._get(f"{self._base}/{media_id}", stream=False, read=self._deadline)
        if isinstance(meta, Fetched):
            return meta
        try:
            info: dict[str, Any] = meta.json()
            url, size = str(info["url"]), int(info.get("file_size") or 0)
        except (ValueError, KeyError, TypeError):
            return Fetched(problem=UNAVAILABLE)
        if size > MAX_BYTES:
            return Fetched(problem=too_big(size, document=document))
        download = self._get(url, stream=True, read=until - time.monotonic())
        if isinstance(download, Fetched):
            return download
        data = _read_limited(download, until)
        if data is None:
            return Fetched(problem=too_big(int(download.headers.get("Content-Length") or 0)
                                       or MAX_BYTES + 1, document=document))
        if isinstance(data, Fetched):
            return data
        if (size and len(data) != size) or (
                info.get("sha256") and hashlib.sha256(data).hexdigest() != info["sha256"]):
            return Fetched(problem=DAMAGED)
        return clean_photo(data)

    def upload(self, phone_number_id: str, jpeg: bytes) -> str | None:
        """The media id of an uploaded JPEG (the draft card), or None (logged)."""
        files = {"file": ("kartu.jpg", jpeg, "image/jpeg")}
        data = {"messaging_product": "whatsapp", "type": "image/jpeg"}
        try:
            response = self._session.post(f"{self._base}/{phone_number_id}/media", files=files,
                                          data=data, timeout=self._timeout)
            if response.ok:
                return str(response.json()["id"])
            log.warning("unggah kartu draf gagal: HTTP %s", response.status_code)
        except (self._requests.RequestException, ValueError, KeyError) as exc:
            log.warning("unggah kartu draf gagal: %s", type(exc).__name__)
        return None

    def _get(self, url: str, *, stream: bool, read: float) -> Any:
        """`read`: seconds left of the photo's deadline (the read timeout, if shorter)."""
        if read <= 0:
            return Fetched(problem=TIMED_OUT)
        timeout = (self._timeout[0], min(self._timeout[1], read))
        try:
            response = self._session.get(url, timeout=timeout, stream=stream)
        except self._requests.Timeout:
            return Fetched(problem=TIMED_OUT)
        except self._requests.RequestException as exc:
            log.warning("ambil media gagal: %s", type(exc).__name__)
            return Fetched(problem=UNAVAILABLE)
        if response.status_code == 401:  # the access token expired or was revoked
            log.warning("ambil media ditolak: HTTP 401 (token akses WhatsApp)")
            return Fetched(problem=NO_ACCESS)
        if response.status_code in (400, 403, 404, 410):
            return Fetched(problem=EXPIRED)
        if not response.ok:
            log.warning("ambil media gagal: HTTP %s", response.status_code)
            return Fetched(problem=UNAVAILABLE)
        return response


def _read_limited(response: Any, until: float) -> bytes | Fetched | None:
    """The body, or None past MAX_BYTES (stops reading there), or a problem on a stall or past
    `until` (monotonic), so a server trickling a byte a second cannot hold the desk (and every
    kelurahan behind it). A read blocked on a silent server is left to its own thread, which
    ends at the read timeout."""
    result: list[bytes | Fetched | None] = []
    reader = threading.Thread(target=lambda: result.append(_read_all(response, until)),
                              name="unduh-media", daemon=True)
    reader.start()
    reader.join(max(0.0, until - time.monotonic()) + 0.05)
    if not result:
        log.warning("unduh media melewati batas waktu")
        return Fetched(problem=TIMED_OUT)
    return result[0]


def _read_all(response: Any, until: float) -> bytes | Fetched | None:
    chunks, total = [], 0
    try:
        while chunk := response.raw.read1(65536, decode_content=True):
            total += len(chunk)
            if total > MAX_BYTES:
                response.close()
                return None
            if time.monotonic() > until:
                raise TimeoutError("batas waktu unduh")
            chunks.append(chunk)
    except Exception as exc:  # requests wraps read timeouts and resets in several types
        log.warning("unduh media terputus: %s", type(exc).__name__)
        response.close()
        return Fetched(problem=TIMED_OUT)
    return b"".join(chunks)


def sniff(data: bytes) -> str | None:
    """The image kind by its first bytes (what a file says it is does not count)."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIC_BRANDS:
        return "HEIC"
    return None


def clean_photo(data: bytes) -> Fetched:
    """Decode, turn upright, convert to sRGB (an iPhone photo sent as a document is Display-P3:
    stored without its profile it would look dull), transparency on white, drop EXIF/GPS,
    re-encode as JPEG."""
    kind = sniff(data)
    if kind is None:
        return Fetched(problem=WRONG_TYPE)
    from PIL import Image, ImageOps, UnidentifiedImageError

    from kelurahan.srgb import WHITE, to_srgb

    if kind == "HEIC":
        import pillow_heif

        pillow_heif.register_heif_opener()
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))
            profile = image.info.get("icc_profile")
            upright = to_srgb(ImageOps.exif_transpose(image), WHITE, profile)
            upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            upright.save(out, "JPEG", quality=88, optimize=True)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError):
        return Fetched(problem=f"Foto tidak bisa dibuka (rusak atau terpotong). {RESEND}")
    return Fetched(jpeg=out.getvalue())
