"""What a resident typed, as words: normalised spelling, numbers in any form, common words.

WhatsApp Indonesian is informal: `syaratnya apa ya kak`, `bikin kk gmn`, `No.3`, `tiga`,
`3️⃣`, `ktp-el`/`e-ktp`/`ektp`. Everything here is pure and cheap (no I/O, no state).
"""

from __future__ import annotations

import re
import unicodedata

from kelurahan.outputs import OFFICE_WORDS

_KEYCAP = "\u20e3"
_VARIATION = "\ufe0f"
_KEYCAP_TEN = "\U0001f51f"
_SPLIT = re.compile(r"[^0-9a-z]+")
_JOIN = re.compile(r"['’`´]")  # assalamu'alaikum → assalamualaikum
_REPEATS = re.compile(r"([a-z])\1{2,}")  # haloooo → halo
_GLUED_NUMBER = re.compile(r"^(no|nmr|nomor|nomer|nmor|angka|pilih|pilihan|opsi|ke)(\d{1,3})$")
_SUFFIXES = ("nya", "ny", "lah", "kah", "ku", "mu", "an")
_TRAILING = re.compile(r"([a-z])\1+$")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Numbers as residents write them (Indonesian, ordinals, a little Javanese and Sundanese).
NUMBER_WORDS = {
    "nol": 0, "kosong": 0,
    "satu": 1, "pertama": 1, "kesatu": 1, "siji": 1, "hiji": 1,
    "dua": 2, "kedua": 2, "loro": 2, "kalih": 2,
    "tiga": 3, "ketiga": 3, "telu": 3, "tilu": 3,
    "empat": 4, "keempat": 4, "papat": 4, "opat": 4,
    "lima": 5, "kelima": 5, "limo": 5,
    "enam": 6, "keenam": 6, "enem": 6, "genep": 6,
    "tujuh": 7, "ketujuh": 7, "pitu": 7,
    "delapan": 8, "kedelapan": 8, "wolu": 8, "dalapan": 8,
    "sembilan": 9, "kesembilan": 9, "songo": 9, "salapan": 9,
    "sepuluh": 10, "kesepuluh": 10,
    "sebelas": 11, "kesebelas": 11, "duabelas": 12,
}
# Words that say "I pick number …" around a number.
NUMBER_MARKERS = frozenset({
    "no", "nmr", "nomor", "nomer", "nmor", "angka", "pilih", "pilihan", "opsi", "option",
    "yang", "yg", "ke", "nomber", "number", "layanan", "menu",
})

# What may stand around a picked number: "pagi kak, saya pilih yang nomor 3 ya".
PICK_FILLER = NUMBER_MARKERS | _words("""
    saya aku sy mau pilih ya yaa iya kak ka pak bu ibu bapak min mas mbak mba dong deh aja
    saja sj tolong mohon minta lihat syarat ok oke info halo pagi siang sore malam selamat
    permisi nya tentang untuk utk
""")

# Words that carry no meaning for choosing a service: fillers, politeness, pronouns,
# question words, and words every service shares ("syarat", "urus"). `usah` is here so that
# "gak usah" can never be read as "usaha"; `kantor`, `kecamatan`, `kemarin` so that no
# sentence about the office is read as "kematian".
STOP_WORDS = _words("""
    saya aku gue gua gw sy ak aq kami kita anda sampeyan awak beta mau ingin pengen pingin
    kepingin mo mw ingin hendak akan bakal tanya nanya tny bertanya nanyain tanyain gimana
    bagaimana gmn gmna gmana bgmn gimna piye kumaha caranya cara carane apa apakah apaan
    apa2 apasaja saja aja sj ae wae ya yah iya iy yaa ok oke dong deh sih nih tuh lho loh
    kok kah toh mah atuh teh ga gak nggak ngga enggak engga tidak tdk tak ndak nda kagak ora
    henteu usah kak ka kakak pak bapak bpk bu ibu bunda mas mbak mba min admin bang abang
    dik adik om tante bos boss gan sis bro mimin kantor kecamatan kelurahan kel kec desa
    lurah camat pemerintah kemarin kemaren kmrn tadi barusan sudah udah udh sdh telah pernah
    belum blm besok lusa nanti sekarang skrg hari ini itu tsb ke di dari dr untuk utk buat
    bikin membuat pembuatan bwt bkn urus ngurus mengurus pengurusan urusan yang yg dan atau
    atw dengan dgn sama sm pada oleh bagi ada bisa bisakah dapat boleh bolehkah perlu harus
    wajib butuh tolong mohon minta please pls plis info informasi keterangan2 penjelasan
    jelaskan kalau kalo klo kl jika bila apabila syarat syarat2 persyaratan prasyarat
    ketentuan prosedur alur proses langkah berkas dokumen bawa dibawa membawa lengkapi
    berapa lama biaya harga bayar tarif gratis selamat salam pagi siang sore malam terima
    kasih makasih lagi juga pun dulu kembali baru lama apa2an bgt banget sekali sangat
    tentang soal mengenai masalah nya
""")

# Words in many service names that, alone, do not say which service.
GENERIC_WORDS = _words("""
    surat keterangan ket sk suket pengantar pengantaran layanan pelayanan kartu akta akte
    izin ijin permohonan data cetak
""")


# Words that say what kind of message it is, rather than which service.
GREETING_WORDS = _words("""
    halo hallo helo hello hai hay hi hei hey hy p ping tes test testing mulai start
    assalamualaikum asalamualaikum assalamualaikom assalamu asalamu alaikum alaikom aslm
    aslmkm askum ass asw salam selamat pagi siang sore malam met mlm permisi misi punten
    sampurasun rahayu horas tabe tabek om swastiastu shalom sugeng enjing wilujeng spada woi
    wr wb warahmatullahi warahmatullah wabarakatuh wabarakatuhu bismillah info
""")
THANKS_WORDS = _words("""
    terima kasih terimakasih trimakasih makasih makasi maksih mksh mks thanks thank thx tq
    ty tengkyu trims suwun matur nuwun hatur nuhun ok oke okay okey okee okeh sip siap baik
    baiklah noted mantap mantab alhamdulillah wassalam wassalamualaikum bye dah cukup paham
    mengerti ngerti jelas sukses
""")
NEGATIONS = _words("""
    ga gak nggak ngga enggak engga tidak tdk tak ndak nda kagak ora
""")
HANDOFF_WORDS = _words("""
    petugas admin operator cs customer service pelanggan staf staff pegawai agen agent
    manusia orang
""")
WEAK_STAFF_WORDS = frozenset({"orang", "service", "pelanggan", "manusia"})
HANDOFF_FILLER = _words("""
    bicara berbicara ngobrol ngomong hubungi menghubungi hubungkan sambungkan disambungkan
    chat langsung live saja real asli
""")
BACK_WORDS = _words("""
    menu kembali balik utama daftar lihat list layanan home awal
""")
NEXT_PAGE_WORDS = frozenset({"lainnya", "lanjut", "berikutnya", "next", "selanjutnya"})
# "halaman 3", "hal. 2", "page 3": a page of the menu list by its number.
PAGE_WORDS = frozenset({"halaman", "hal", "hlm", "page"})
# Places that are not this office: "kantor kecamatan dimana?" is not a question about us.
OTHER_PLACES = _words("""
    kecamatan camat polsek polres puskesmas rs rumah sakit sekolah bank pasar dukcapil
    disdukcapil kua samsat pengadilan bpjs pos masjid gereja
""")
INTENT_WORDS = (GREETING_WORDS | THANKS_WORDS | NEGATIONS | HANDOFF_WORDS | HANDOFF_FILLER
                | BACK_WORDS | NEXT_PAGE_WORDS | PAGE_WORDS | OFFICE_WORDS | OTHER_PLACES)


def fold(text: str) -> str:
    """NFKC (full-width `１` → `1`), keycaps unwrapped, casefolded, apostrophes dropped."""
    text = unicodedata.normalize("NFKC", text).replace(_VARIATION, "").replace(_KEYCAP, "")
    return _JOIN.sub("", text.replace(_KEYCAP_TEN, " 10 ").casefold())


def tokens(text: str) -> list[str]:
    """Words of `text`: letters and digits only, `ktp-el` → `ktp el`, `haloooo` → `halo`."""
    found = []
    for word in _SPLIT.split(_REPEATS.sub(r"\1", fold(text))):
        if not word:
            continue
        glued = _GLUED_NUMBER.fullmatch(word)
        found += [glued.group(1), glued.group(2)] if glued else [word]
    return found


def normalise(text: str) -> str:
    """Words joined by single spaces: the form menu words and typed text are compared in."""
    return " ".join(tokens(text))


def number_of(word: str) -> int | None:
    if word.isdigit() and len(word) <= 3:
        return int(word)
    return NUMBER_WORDS.get(word)


def picked_number(words: list[str]) -> int | None:
    """The number a resident picked when the message is only that (`No. 3`, `yg ke-3 kak`,
    `tiga`); None when there is anything else (`2 hari`, `rt 05`) or two numbers."""
    rest = [w for w in words if w not in PICK_FILLER]
    if len(rest) != 1:
        return None
    return number_of(rest[0])


def picked_page(words: list[str]) -> int | None:
    """`halaman 3`, `hal 2 kak`, `lihat halaman tiga`: the page number, else None."""
    if not set(words) & PAGE_WORDS:
        return None
    return picked_number([w for w in words if w not in PAGE_WORDS | NEXT_PAGE_WORDS])


def respell(word: str, known: frozenset[str] | set[str]) -> str:
    """`syaratnya` → `syarat`, `ktpku` → `ktp`, `haloo` → `halo` when that is a word we know."""
    if word in known:
        return word
    for suffix in _SUFFIXES:
        stem = word.removesuffix(suffix)
        if stem != word and len(stem) >= 2 and stem in known:
            return stem
    single = _TRAILING.sub(r"\1", word)
    return single if single in known else word
