"""The one exception family; only the CLI turns these into exit codes."""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kelurahan.problems import Problem


class KelurahanError(Exception):
    """Base of every error this project raises on purpose."""


# Pillow's English warning about a 90–178 MP photo (a phone's 108 MP mode), which is handled
# like any other; past that Pillow refuses and we say so in Indonesian. Ignored by the CLI and
# the build's workers: `warnings.filterwarnings("ignore", message=PILLOW_SIZE_WARNING)`.
PILLOW_SIZE_WARNING = r"Image size \(\d+ pixels\) exceeds limit"


class ContentError(KelurahanError):
    """The content tree has errors; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} masalah pada konten")


# What the operating system said, in Indonesian, with what the operator can do about it.
_OS_REASONS = {
    errno.EACCES: "tidak ada izin; periksa pemilik dan izin folder itu",
    errno.EPERM: "tidak diizinkan; periksa pemilik dan izin folder itu",
    errno.ENOSPC: "disk penuh; kosongkan ruang disk lalu coba lagi",
    errno.EDQUOT: "kuota disk habis; kosongkan ruang lalu coba lagi",
    errno.EROFS: "sistem berkas hanya-baca; pilih folder lain",
    errno.ENOENT: "tidak ditemukan",
    errno.ENOTDIR: "bagian jalurnya berkas, bukan folder",
    errno.EISDIR: "berupa folder, bukan berkas",
    errno.EEXIST: "sudah ada",
    errno.ENOTEMPTY: "folder tidak kosong",
    errno.ENAMETOOLONG: "nama terlalu panjang",
    errno.EMFILE: "terlalu banyak berkas terbuka; coba lagi dengan --jobs lebih kecil",
    errno.EIO: "kesalahan baca/tulis pada perangkat penyimpanan",
    errno.EBUSY: "sedang dipakai program lain",
    errno.EXDEV: "tidak bisa dipindah antar-disk",
    errno.ECONNREFUSED: "sambungan ditolak",
    errno.ETIMEDOUT: "waktu sambungan habis",
}


def describe_os_error(exc: OSError) -> str:
    """One Indonesian line for a failure of the file system (or the network): path and remedy."""
    reason = _OS_REASONS.get(exc.errno or 0)
    if reason is None:
        code = errno.errorcode.get(exc.errno or 0, type(exc).__name__)
        reason = f"kesalahan sistem ({code})"
    paths = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
    return f"{' → '.join(paths)}: {reason}" if paths else reason
