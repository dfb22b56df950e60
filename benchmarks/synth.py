"""Generate a large, valid, fictional content tree for benchmarks and tests.

    from benchmarks.synth import generate
    root = generate(tmp_path / "content", kelurahan=3, posts=5, photo_pool=4)

    python benchmarks/synth.py benchmarks/out/content --kelurahan 59 --posts 150

The tree has the layout of the product contract ("Content layout") and the
same keys as the sample city in `content/`:
`kota.yml`, then per kelurahan `profil.md`, eight `layanan/*.md`,
`kegiatan/YYYY-MM-DD-<slug>.md` (one per week going back from `start`, each
with one photo) and `media/` (logo plus photos).

Photos are expensive to draw, so a pool of `photo_pool` photos is drawn once
into a cache folder next to `out_dir` (`<parent>/.synth-photo-pool/`, reused
across runs) and hard-linked into every `media/` (copied if linking fails).
Note: hard links share one inode, so touching one photo's mtime touches all
posts that use the same pool photo; and there are only `photo_pool` distinct
images, so a cache keyed by file content does far less work than real content.

`out_dir` gets a `.synth` marker file; a later `generate` into the same folder
replaces it, while a non-empty folder without the marker is never touched.

Everything is deterministic for a given `seed`.  Slugs are `kelurahan-001`,
`kelurahan-002`, ...; display names are generated Indonesian place names.
No number anywhere in the tree has 16 digits (that would look like a NIK).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import yaml

if __package__:
    from .photos import SCENES, draw_logo, draw_photo, save_photo
else:  # run as a script: `python benchmarks/synth.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.photos import SCENES, draw_logo, draw_photo, save_photo

try:
    _Dumper = yaml.CSafeDumper
except AttributeError:  # PyYAML without libyaml
    _Dumper = yaml.SafeDumper

MARKER = ".synth"
"""File written into `out_dir`; only a folder carrying it is ever wiped by :func:`generate`."""

BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember"]
HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]

_AWALAN = ["Suka", "Sido", "Karang", "Tanjung", "Sungai", "Bukit", "Teluk", "Muara", "Gunung",
           "Batu", "Loa", "Air", "Tanah", "Padang", "Kampung"]
_AKHIRAN = ["maju", "jaya", "makmur", "mulya", "rejo", "harapan", "indah", "sari", "baru",
            "damai", "permai", "asri", "raya", "lestari", "merdeka"]
_KECAMATAN = ["Kota Baru", "Pesisir", "Bukit Raya", "Sungai Kunjang", "Samudra", "Palaran Contoh",
              "Loa Hilir", "Tepian", "Seberang", "Sempaja Contoh"]
_NAMA_DEPAN = ["Rina", "Ahmad", "Siti", "Budi", "Dewi", "Hendra", "Nur", "Agus", "Yuliana", "Rahmat",
               "Sri", "Fajar", "Maria", "Yohanes", "Fitri", "Arif", "Wahyu", "Lestari", "Dedi", "Ratna"]
_NAMA_BELAKANG = ["Marlina", "Saputra", "Rahmawati", "Santoso", "Hidayat", "Kurniawan", "Wulandari",
                  "Pratama", "Setiawan", "Handayani", "Gunawan", "Nugroho", "Susanti", "Firmansyah",
                  "Siregar", "Tambunan", "Lumban", "Kartika", "Ramadhan", "Anggraini"]
_GELAR_DEPAN = ["", "", "", "H. ", "Hj. ", "Drs. ", "Ir. "]
_GELAR_BELAKANG = [", S.Sos.", ", S.STP.", ", S.E.", ", S.H.", ", S.AP.", ", M.Si.", ", S.IP."]

# The eight services: slug, title, keywords (unique within a kelurahan), requirements
# (a core that is always listed plus optional extras), summary, procedure, legal basis.
LAYANAN = [
    {
        "slug": "ktp-el", "judul": "Surat Pengantar KTP-el",
        "kata_kunci": ["ktp", "ktp-el", "e-ktp", "kartu tanda penduduk"],
        "syarat": ["Surat pengantar RT/RW", "Fotokopi Kartu Keluarga", "Telah berusia 17 tahun atau sudah menikah"],
        "tambahan": ["KTP-el lama yang rusak (untuk penggantian)", "Surat keterangan kehilangan dari kepolisian (jika hilang)"],
        "ringkasan": "Pengantar ke Disdukcapil untuk perekaman, penggantian, atau cetak ulang KTP-el.",
        "dasar": ["UU No. 24 Tahun 2013 tentang Perubahan atas UU No. 23 Tahun 2006 tentang Administrasi Kependudukan",
                  "Permendagri No. 108 Tahun 2019 tentang Peraturan Pelaksanaan Perpres No. 96 Tahun 2018"],
    },
    {
        "slug": "kk", "judul": "Kartu Keluarga",
        "kata_kunci": ["kk", "kartu keluarga", "tambah anggota", "pecah kk"],
        "syarat": ["Surat pengantar RT/RW", "Kartu Keluarga lama (asli)", "Fotokopi buku nikah atau akta perkawinan"],
        "tambahan": ["Fotokopi akta kelahiran anggota keluarga baru", "Surat keterangan pindah (bagi pendatang)"],
        "ringkasan": "Pengantar pembuatan KK baru, penambahan atau pengurangan anggota keluarga, dan pecah KK.",
        "dasar": ["UU No. 24 Tahun 2013 tentang Perubahan atas UU No. 23 Tahun 2006 tentang Administrasi Kependudukan",
                  "Perpres No. 96 Tahun 2018 tentang Persyaratan dan Tata Cara Pendaftaran Penduduk dan Pencatatan Sipil"],
    },
    {
        "slug": "domisili", "judul": "Surat Keterangan Domisili",
        "kata_kunci": ["domisili", "keterangan tinggal", "alamat", "skd"],
        "syarat": ["Surat pengantar RT/RW", "Fotokopi KTP-el", "Fotokopi Kartu Keluarga"],
        "tambahan": ["Surat perjanjian sewa atau kontrak rumah (bagi penyewa)", "Pas foto 3x4 (1 lembar)"],
        "ringkasan": "Keterangan bahwa warga benar bertempat tinggal di wilayah kelurahan.",
        "dasar": ["UU No. 23 Tahun 2014 tentang Pemerintahan Daerah",
                  "PP No. 17 Tahun 2018 tentang Kecamatan"],
    },
    {
        "slug": "sktm", "judul": "Surat Keterangan Tidak Mampu",
        "kata_kunci": ["sktm", "tidak mampu", "keringanan biaya", "miskin"],
        "syarat": ["Surat pengantar RT/RW", "Fotokopi KTP-el", "Fotokopi Kartu Keluarga",
                   "Surat pernyataan tidak mampu bermeterai"],
        "tambahan": ["Foto rumah tampak depan", "Kartu peserta bansos (jika ada)"],
        "ringkasan": "Keterangan kondisi ekonomi untuk keringanan biaya sekolah, rumah sakit, atau bantuan sosial.",
        "dasar": ["UU No. 13 Tahun 2011 tentang Penanganan Fakir Miskin",
                  "Permensos No. 3 Tahun 2021 tentang Pengelolaan Data Terpadu Kesejahteraan Sosial"],
    },
    {
        "slug": "usaha", "judul": "Surat Keterangan Usaha",
        "kata_kunci": ["usaha", "sku", "umkm", "dagang"],
        "syarat": ["Surat pengantar RT/RW", "Fotokopi KTP-el", "Fotokopi Kartu Keluarga", "Foto tempat usaha"],
        "tambahan": ["Fotokopi bukti lunas PBB tahun berjalan", "NIB dari OSS (jika sudah ada)"],
        "ringkasan": "Keterangan usaha mikro untuk pengajuan KUR, izin, atau keperluan perbankan.",
        "dasar": ["UU No. 20 Tahun 2008 tentang Usaha Mikro, Kecil, dan Menengah",
                  "PP No. 7 Tahun 2021 tentang Kemudahan, Pelindungan, dan Pemberdayaan Koperasi dan UMKM"],
    },
    {
        "slug": "nikah", "judul": "Surat Pengantar Nikah (N1–N4)",
        "kata_kunci": ["nikah", "n1", "menikah", "kua"],
        "syarat": ["Surat pengantar RT/RW", "Fotokopi KTP-el calon pengantin", "Fotokopi Kartu Keluarga",
                   "Fotokopi akta kelahiran", "Pas foto 3x4 (2 lembar)"],
        "tambahan": ["Akta cerai atau akta kematian pasangan (bagi duda/janda)", "Izin orang tua (usia di bawah 21 tahun)"],
        "ringkasan": "Formulir pengantar nikah N1 sampai N4 untuk pendaftaran di KUA atau Disdukcapil.",
        "dasar": ["UU No. 16 Tahun 2019 tentang Perubahan atas UU No. 1 Tahun 1974 tentang Perkawinan",
                  "PMA No. 20 Tahun 2019 tentang Pencatatan Pernikahan"],
    },
    {
        "slug": "kematian", "judul": "Surat Keterangan Kematian",
        "kata_kunci": ["kematian", "meninggal", "wafat", "akta kematian"],
        "syarat": ["Surat pengantar RT/RW", "Fotokopi KTP-el almarhum/almarhumah", "Fotokopi Kartu Keluarga",
                   "Surat keterangan dari rumah sakit atau dokter (jika ada)"],
        "tambahan": ["Fotokopi KTP-el pelapor", "Fotokopi KTP-el 2 orang saksi"],
        "ringkasan": "Keterangan kematian warga sebagai dasar penerbitan akta kematian di Disdukcapil.",
        "dasar": ["UU No. 24 Tahun 2013 tentang Perubahan atas UU No. 23 Tahun 2006 tentang Administrasi Kependudukan",
                  "Permendagri No. 108 Tahun 2019 tentang Peraturan Pelaksanaan Perpres No. 96 Tahun 2018"],
    },
    {
        "slug": "pindah", "judul": "Surat Pengantar Pindah",
        "kata_kunci": ["pindah", "kepindahan", "mutasi", "skpwni"],
        "syarat": ["Surat pengantar RT/RW", "KTP-el asli", "Kartu Keluarga asli"],
        "tambahan": ["Alamat lengkap tujuan pindah", "Surat keterangan pindah dari daerah asal (bagi pendatang)"],
        "ringkasan": "Pengantar untuk Surat Keterangan Pindah Warga Negara Indonesia (SKPWNI) dari Disdukcapil.",
        "dasar": ["UU No. 24 Tahun 2013 tentang Perubahan atas UU No. 23 Tahun 2006 tentang Administrasi Kependudukan",
                  "Permendagri No. 108 Tahun 2019 tentang Peraturan Pelaksanaan Perpres No. 96 Tahun 2018"],
    },
]

_PROSEDUR = [
    "Warga meminta surat pengantar kepada Ketua RT dan Ketua RW setempat.",
    "Warga datang ke kantor Kelurahan {nama} membawa seluruh persyaratan asli dan fotokopinya.",
    "Petugas pelayanan memeriksa kelengkapan berkas dan mencocokkan data dengan KTP-el dan KK.",
    "Petugas mengetik surat dan menyerahkannya kepada Lurah atau Sekretaris Kelurahan untuk ditandatangani.",
    "Surat diserahkan kepada warga pada hari yang sama, atau paling lambat {waktu} sejak berkas lengkap.",
]

# Post topics: title templates, categories, photo scene and sentence pools.
# Placeholders: {nama} {lurah} {kec} {rt} {rw} {n} {hari} {tgl} {tempat}.
TOPIK = [
    {
        "slug": "kerja-bakti", "scene": "kerja_bakti", "kategori": ["Kebersihan", "Sosial"],
        "judul": ["Kerja Bakti Membersihkan Saluran Air RT {rt}", "Gotong Royong Warga RW {rw} Jelang Musim Hujan",
                  "Jumat Bersih di Lingkungan RT {rt}"],
        "ringkasan": "Warga RT {rt} bersama perangkat kelurahan membersihkan parit dan saluran air untuk mencegah banjir.",
        "buka": ["Pada hari {hari}, {tgl}, warga RT {rt} RW {rw} Kelurahan {nama} melaksanakan kerja bakti membersihkan saluran air di sepanjang {tempat}.",
                 "Sebanyak {n} warga RW {rw} turun ke jalan pada {hari} pagi, {tgl}, untuk bergotong royong membersihkan lingkungan."],
        "isi": ["Kegiatan dimulai pukul 07.00 WITA dengan pembagian kelompok per gang.",
                "Warga mengangkat sedimen dan sampah plastik yang menyumbat gorong-gorong.",
                "Petugas kebersihan dari kecamatan membantu mengangkut sampah dengan satu unit truk.",
                "Ibu-ibu PKK menyiapkan konsumsi berupa bubur kacang hijau dan teh manis untuk para peserta.",
                "Beberapa titik yang selama ini sering tergenang kini kembali lancar dialiri air.",
                "Ketua RT {rt} mengimbau warga agar tidak membuang sampah ke parit.",
                "Kerja bakti serupa dijadwalkan bergiliran di setiap RT setiap bulan."],
        "tutup": ["Kegiatan selesai menjelang pukul 10.00 WITA dan ditutup dengan makan bersama.",
                  "Pihak kelurahan berterima kasih atas partisipasi warga yang tinggi."],
    },
    {
        "slug": "posyandu", "scene": "posyandu", "kategori": ["Kesehatan"],
        "judul": ["Posyandu Balita RW {rw}: Penimbangan dan Imunisasi", "Pelayanan Posyandu Lansia di RW {rw}",
                  "Posyandu Terpadu Bulan Ini Layani {n} Balita"],
        "ringkasan": "Posyandu RW {rw} melayani penimbangan, imunisasi, dan pemberian makanan tambahan bagi balita.",
        "buka": ["Posyandu di RW {rw} Kelurahan {nama} kembali dibuka pada hari {hari}, {tgl}, bertempat di {tempat}.",
                 "Sebanyak {n} balita dan ibu hamil mengikuti kegiatan posyandu rutin pada {hari}, {tgl}."],
        "isi": ["Kader posyandu melakukan penimbangan berat badan dan pengukuran tinggi badan anak.",
                "Bidan dari puskesmas kelurahan memberikan imunisasi dasar sesuai jadwal.",
                "Balita yang datang menerima makanan tambahan berupa bubur kacang hijau, telur, dan buah.",
                "Hasil pengukuran dicatat dalam buku KIA dan dilaporkan ke puskesmas.",
                "Kader juga memberikan penyuluhan singkat tentang pencegahan stunting dan gizi seimbang.",
                "Ibu-ibu yang anaknya belum lengkap imunisasinya diminta datang kembali bulan depan."],
        "tutup": ["Posyandu berikutnya dijadwalkan bulan depan pada minggu yang sama.",
                  "Kelurahan mengajak para orang tua rutin membawa anaknya ke posyandu."],
    },
    {
        "slug": "musrenbang", "scene": "rapat", "kategori": ["Pemerintahan"],
        "judul": ["Musrenbang Kelurahan {nama} Tahun 2027", "Rapat Koordinasi Ketua RT dan RW",
                  "Sosialisasi Pembayaran PBB di Aula Kelurahan"],
        "ringkasan": "Perangkat kelurahan, Ketua RT/RW, dan tokoh masyarakat membahas usulan pembangunan tahun depan.",
        "buka": ["Kelurahan {nama} menggelar musyawarah di aula kantor kelurahan pada {hari}, {tgl}.",
                 "Sebanyak {n} peserta yang terdiri atas Ketua RT, Ketua RW, LPM, dan tokoh masyarakat hadir pada {hari}, {tgl}."],
        "isi": ["Lurah {lurah} membuka acara dan menyampaikan capaian program tahun berjalan.",
                "Usulan yang paling banyak muncul adalah perbaikan jalan lingkungan dan drainase.",
                "Peserta juga mengusulkan penambahan lampu penerangan jalan di beberapa gang.",
                "Setiap usulan dibahas dan diurutkan berdasarkan tingkat kebutuhan.",
                "Perwakilan kecamatan {kec} menjelaskan mekanisme penyaluran dana kelurahan.",
                "Hasil musyawarah dituangkan dalam berita acara yang ditandatangani bersama."],
        "tutup": ["Usulan prioritas akan dibawa ke musrenbang tingkat kecamatan.",
                  "Kelurahan akan mengumumkan hasil akhir melalui papan informasi dan situs ini."],
    },
    {
        "slug": "pelatihan-umkm", "scene": "umkm", "kategori": ["Ekonomi"],
        "judul": ["Pelatihan Pemasaran Daring untuk Pelaku UMKM", "Bazar UMKM Kelurahan {nama}",
                  "Pelatihan Pengolahan Hasil Perikanan bagi Ibu Rumah Tangga"],
        "ringkasan": "Pelaku usaha mikro di Kelurahan {nama} mendapat pelatihan dan kesempatan memamerkan produknya.",
        "buka": ["Sebanyak {n} pelaku UMKM mengikuti kegiatan yang digelar Kelurahan {nama} pada {hari}, {tgl}, di {tempat}.",
                 "Kelurahan {nama} bekerja sama dengan dinas koperasi mengadakan kegiatan untuk pelaku usaha mikro pada {hari}, {tgl}."],
        "isi": ["Materi meliputi pemotretan produk dengan ponsel dan penulisan keterangan yang menarik.",
                "Peserta belajar membuat katalog sederhana dan akun usaha di aplikasi pesan.",
                "Narasumber berbagi pengalaman mengurus NIB melalui sistem OSS.",
                "Produk yang dipamerkan antara lain amplang, kerupuk ikan, kue basah, dan kerajinan manik-manik.",
                "Beberapa peserta langsung mendapat pesanan dari pengunjung.",
                "Kelurahan juga melayani pembuatan Surat Keterangan Usaha bagi peserta yang membutuhkan."],
        "tutup": ["Pelatihan lanjutan direncanakan pada triwulan berikutnya.",
                  "Kelurahan berharap produk warga makin dikenal di luar wilayah."],
    },
    {
        "slug": "ronda", "scene": "ronda", "kategori": ["Keamanan"],
        "judul": ["Ronda Malam Digiatkan Kembali di RW {rw}", "Pos Kamling RT {rt} Diresmikan",
                  "Patroli Bersama Babinsa dan Bhabinkamtibmas"],
        "ringkasan": "Warga RW {rw} kembali menjalankan jadwal ronda malam untuk menjaga keamanan lingkungan.",
        "buka": ["Menyusul beberapa laporan kehilangan, warga RW {rw} Kelurahan {nama} sepakat menghidupkan kembali ronda malam mulai {hari}, {tgl}.",
                 "Pada malam {hari}, {tgl}, Lurah {lurah} meninjau pelaksanaan siskamling di RT {rt}."],
        "isi": ["Setiap malam empat sampai enam warga bertugas secara bergiliran.",
                "Jadwal ronda ditempel di pos kamling dan dibagikan melalui grup warga.",
                "Babinsa dan Bhabinkamtibmas ikut berkeliling bersama petugas ronda.",
                "Warga diingatkan untuk mengunci kendaraan dan menyalakan lampu teras pada malam hari.",
                "Pos kamling dilengkapi kentongan, senter, dan buku catatan kejadian.",
                "Sejak ronda berjalan, belum ada lagi laporan kehilangan di wilayah tersebut."],
        "tutup": ["Kelurahan mengapresiasi kekompakan warga menjaga lingkungannya.",
                  "Warga yang melihat hal mencurigakan dapat segera melapor ke Ketua RT."],
    },
    {
        "slug": "lomba-17-agustus", "scene": "lomba", "kategori": ["Sosial", "Pendidikan"],
        "judul": ["Semarak Lomba HUT RI ke-81 di Kelurahan {nama}", "Lomba Kampung Bersih dan Hijau Tingkat Kelurahan",
                  "Lomba Anak-anak Meriahkan Lingkungan RW {rw}"],
        "ringkasan": "Warga dari berbagai usia memeriahkan lomba tradisional di lingkungan RW {rw}.",
        "buka": ["Suasana meriah terasa di {tempat} pada {hari}, {tgl}, saat warga Kelurahan {nama} mengikuti berbagai lomba.",
                 "Sebanyak {n} peserta dari anak-anak hingga lansia ambil bagian dalam lomba yang digelar pada {hari}, {tgl}."],
        "isi": ["Lomba yang digelar antara lain balap karung, makan kerupuk, tarik tambang, dan panjat pinang.",
                "Panitia dari karang taruna menyiapkan hadiah sederhana untuk setiap pemenang.",
                "Tim penilai berkeliling memeriksa kebersihan gang, taman, dan tempat sampah setiap RT.",
                "Sorak penonton terdengar sepanjang acara, terutama saat lomba tarik tambang ibu-ibu.",
                "Lurah {lurah} menyerahkan piala bergilir kepada RT dengan nilai tertinggi.",
                "Kegiatan ini didanai swadaya warga dan dukungan pelaku usaha setempat."],
        "tutup": ["Acara ditutup dengan pembagian hadiah dan foto bersama.",
                  "Panitia berharap semangat kebersamaan ini terus terjaga."],
    },
    {
        "slug": "fogging", "scene": "fogging", "kategori": ["Kesehatan", "Kebersihan"],
        "judul": ["Fogging dan PSN di RT {rt} Setelah Ada Kasus DBD", "Gerakan 3M Plus Serentak di RW {rw}",
                  "Pemeriksaan Jentik Nyamuk dari Rumah ke Rumah"],
        "ringkasan": "Petugas puskesmas dan warga melakukan pemberantasan sarang nyamuk untuk mencegah demam berdarah.",
        "buka": ["Menindaklanjuti laporan kasus demam berdarah, puskesmas bersama Kelurahan {nama} melakukan pengasapan di RT {rt} pada {hari}, {tgl}.",
                 "Kader jumantik Kelurahan {nama} memeriksa {n} rumah di RW {rw} pada {hari}, {tgl}."],
        "isi": ["Pengasapan dilakukan pada pagi hari ketika nyamuk aktif.",
                "Warga diminta membuka pintu dan jendela serta menutup makanan selama pengasapan.",
                "Kader memeriksa bak mandi, tempat penampungan air, dan barang bekas di sekitar rumah.",
                "Rumah yang ditemukan jentik diberi bubuk abate dan edukasi langsung.",
                "Petugas menegaskan bahwa fogging hanya membunuh nyamuk dewasa, sehingga 3M Plus tetap kunci utama.",
                "Warga yang mengalami demam tinggi lebih dari dua hari diminta segera ke puskesmas."],
        "tutup": ["Pemeriksaan jentik akan dilakukan rutin setiap Jumat.",
                  "Kelurahan mengajak seluruh warga menjaga kebersihan tempat penampungan air."],
    },
    {
        "slug": "penyaluran-bansos", "scene": "bansos", "kategori": ["Sosial"],
        "judul": ["Penyaluran Bantuan Pangan Beras kepada {n} Keluarga", "Pembagian Sembako untuk Lansia dan Disabilitas",
                  "Pasar Murah Kelurahan {nama}"],
        "ringkasan": "Kelurahan menyalurkan bantuan pangan kepada keluarga penerima manfaat secara tertib dan tepat sasaran.",
        "buka": ["Kelurahan {nama} menyalurkan bantuan pangan kepada {n} keluarga penerima manfaat pada {hari}, {tgl}, di {tempat}.",
                 "Pada {hari}, {tgl}, petugas kelurahan dan pendamping sosial membagikan bantuan kepada warga yang berhak."],
        "isi": ["Penerima cukup membawa undangan dan kartu identitas untuk dicocokkan dengan daftar.",
                "Setiap keluarga menerima beras 10 kilogram serta minyak goreng.",
                "Bagi lansia dan penyandang disabilitas, bantuan diantar langsung ke rumah oleh Ketua RT.",
                "Antrean diatur per RT agar tidak terjadi penumpukan warga.",
                "Warga yang merasa berhak namun belum terdata dapat mengajukan usulan melalui kelurahan.",
                "Daftar penerima tidak diumumkan lengkap untuk melindungi data pribadi warga."],
        "tutup": ["Penyaluran berjalan tertib dan selesai pada siang hari.",
                  "Kelurahan terus memperbarui data kesejahteraan sosial bersama Ketua RT."],
    },
]

_UMUM = [
    "Kegiatan ini juga dihadiri oleh Babinsa dan Bhabinkamtibmas Kelurahan {nama}.",
    "Ketua LPM menyampaikan apresiasi kepada seluruh warga yang telah meluangkan waktu.",
    "Dokumentasi kegiatan dibagikan melalui media sosial resmi kelurahan.",
    "Warga yang berhalangan hadir dapat menanyakan informasi lanjutan melalui Ketua RT masing-masing.",
    "Kelurahan juga membuka layanan tanya jawab melalui WhatsApp pada jam kerja.",
    "Kegiatan berlangsung lancar berkat dukungan warga dan para Ketua RT.",
    "Anak-anak muda dari karang taruna membantu mengatur jalannya acara.",
    "Menurut Ketua RW {rw}, kegiatan semacam ini mempererat hubungan antarwarga.",
    "Pihak kecamatan {kec} memberikan dukungan penuh terhadap kegiatan ini.",
    "Beberapa warga menyampaikan harapan agar kegiatan serupa lebih sering diadakan.",
    "Sebelum kegiatan dimulai, panitia memberikan pengarahan singkat mengenai pembagian tugas dan tata tertib yang perlu dipatuhi bersama.",
    "Kegiatan ini merupakan bagian dari program kerja kelurahan tahun 2026 yang telah dibahas bersama Ketua RT dan RW pada awal tahun.",
    "Para Ketua RT sebelumnya telah mengedarkan undangan dan pengumuman melalui grup WhatsApp warga sejak beberapa hari sebelumnya.",
    "Seksi Kesejahteraan Sosial kelurahan mencatat jumlah peserta dan kebutuhan yang masih harus ditindaklanjuti pada kegiatan berikutnya.",
    "Sejumlah warga lanjut usia tetap bersemangat hadir meskipun cuaca pagi itu cukup terik.",
    "Tim PKK kelurahan ikut terlibat dalam menyiapkan perlengkapan dan mengatur barisan peserta.",
    "Hasil kegiatan akan dilaporkan secara tertulis kepada camat {kec} sebagai bahan evaluasi program kelurahan.",
    "Warga juga memanfaatkan kesempatan ini untuk bertanya kepada petugas kelurahan mengenai layanan administrasi kependudukan.",
    "Petugas kelurahan mengingatkan bahwa semua layanan surat keterangan di kantor kelurahan tidak dipungut biaya apa pun.",
    "Untuk menjaga kelancaran, kendaraan peserta diparkir di halaman balai warga dan diatur oleh anggota linmas.",
    "Beberapa pelajar SMP dan SMA yang sedang libur turut membantu sebagai relawan.",
    "Kelurahan menyediakan air minum dan kotak P3K selama kegiatan berlangsung.",
    "Catatan dan masukan warga selama kegiatan ditampung oleh sekretaris kelurahan untuk dibahas pada rapat staf pekan depan.",
    "Lurah berpesan agar warga saling mengingatkan tetangganya yang belum sempat mengikuti kegiatan.",
    "Dengan luas wilayah yang cukup besar, kelurahan membagi pelaksanaan kegiatan ke beberapa titik agar mudah dijangkau warga.",
]
_KUTIPAN = [
    "“Kami ingin warga merasakan langsung manfaat kegiatan ini,” ujar Lurah {lurah}.",
    "“Kebersamaan seperti ini adalah kekuatan kelurahan kita,” kata {lurah} di sela kegiatan.",
    "“Terima kasih kepada semua warga yang sudah hadir dan membantu,” ucap Lurah {lurah}.",
]
_TEMPAT = ["halaman kantor kelurahan", "balai warga RW {rw}", "lapangan voli RT {rt}", "Jalan Melati",
           "Gang Kenanga", "tepian Sungai Contoh", "posyandu RW {rw}", "aula kelurahan", "Jalan Merdeka"]


def _rand_name(rng: random.Random) -> str:
    """A fictional Indonesian official's name with academic/religious titles."""
    return (rng.choice(_GELAR_DEPAN) + rng.choice(_NAMA_DEPAN) + " " + rng.choice(_NAMA_BELAKANG)
            + rng.choice(_GELAR_BELAKANG))


def _plain_name(rng: random.Random) -> str:
    """A fictional name without titles (for RT heads, staff)."""
    return rng.choice(_NAMA_DEPAN) + " " + rng.choice(_NAMA_BELAKANG)


def _tanggal_teks(day: date) -> str:
    """`date(2026, 11, 14)` -> "14 November 2026"."""
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def _front_matter(meta: dict, body: str) -> str:
    """A Markdown document with YAML front matter between `---` lines."""
    head = yaml.dump(meta, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{head}---\n\n{body.strip()}\n"


def _kelurahan_names(count: int, rng: random.Random) -> list[str]:
    """`count` distinct place names like "Sukamaju" or "Tanjung Harapan"."""
    combos = [(a, b) for a in _AWALAN for b in _AKHIRAN]
    rng.shuffle(combos)
    names = []
    for i in range(count):
        a, b = combos[i % len(combos)]
        name = a + b if a in ("Suka", "Sido", "Karang") else f"{a} {b.capitalize()}"
        names.append(name if i < len(combos) else f"{name} {i // len(combos) + 1}")
    return names


def _profile(index: int, nama: str, rng: random.Random) -> tuple[dict, str, str]:
    """Front matter, body and the lurah's name for kelurahan number `index` (1-based)."""
    kec = _KECAMATAN[index % len(_KECAMATAN)]
    lurah = _rand_name(rng)
    handle = "kel." + nama.lower().replace(" ", "")
    wa_formats = [f"0812-0000-{index:04d}", f"62812{index:08d}", f"+62 812-0000-{index:04d}"]
    meta = {
        "nama": nama,
        "kecamatan": kec,
        "lurah": lurah,
        "alamat": f"Jl. {rng.choice(['Merdeka', 'Pahlawan', 'Gotong Royong', 'Kesuma Bangsa', 'Pramuka'])} "
                  f"No. {rng.randint(1, 120)}, Kelurahan {nama}, Kecamatan {kec}, Kota Contoh",
        "telepon": f"(0541) 700-{index:04d}",
        "whatsapp": wa_formats[index % 3],
        "email": f"kel.{nama.lower().replace(' ', '')}@kotacontoh.example",
        "jam_layanan": "Senin–Kamis 08.00–15.00 WITA, Jumat 08.00–11.00 WITA",
        "kode_wilayah": f"64.99.{index % 10 + 1:02d}.{1000 + index:04d}",
        "luas_km2": round(rng.uniform(0.8, 25.0), 2),
        "penduduk": rng.randint(4000, 32000),
        "jumlah_rt": rng.randint(15, 60),
        "jumlah_rw": rng.randint(3, 12),
        "batas": {arah: f"Kelurahan {rng.choice(_AWALAN)} {rng.choice(_AKHIRAN).capitalize()}"
                  for arah in ("utara", "timur", "selatan", "barat")},
        "koordinat": [round(-1.5 + rng.uniform(-0.3, 0.3), 4), round(116.5 + rng.uniform(-0.3, 0.3), 4)],
        "sosial": {"facebook": f"https://facebook.com/{handle}.contoh",
                   "instagram": f"https://instagram.com/{handle}",
                   "tiktok": f"https://tiktok.com/@{handle}"},
        "terbit": ["facebook", "instagram", "tiktok"] if index % 4 else ["facebook", "instagram"],
        "whatsapp_phone_id": f"{100000000000000 + index}",
    }
    tahun = rng.randint(1965, 2008)
    pecahan = f"Kelurahan {rng.choice(_AWALAN)}{rng.choice(_AKHIRAN)}"
    struktur = [("Lurah", lurah), ("Sekretaris Kelurahan", _rand_name(rng))] + [
        (jabatan, _plain_name(rng)) for jabatan in (
            "Kasi Pemerintahan", "Kasi Ketenteraman dan Ketertiban Umum", "Kasi Ekonomi dan Pembangunan",
            "Kasi Kesejahteraan Sosial", "Staf Pelayanan Umum", "Staf Administrasi Kependudukan")]
    tabel = "\n".join(f"| {jab} | {orang} |" for jab, orang in struktur)
    body = _profile_body(nama, tahun, pecahan, kec, meta, tabel, rng)
    return meta, body, lurah


def _profile_body(nama: str, tahun: int, pecahan: str, kec: str, meta: dict, tabel: str,
                  rng: random.Random) -> str:
    """Markdown body of a profile: Sejarah, Visi dan Misi, Struktur Organisasi."""
    penduduk = f"{meta['penduduk']:,}".replace(",", ".")  # Indonesian thousands separator
    luas = str(meta["luas_km2"]).replace(".", ",")
    harapan = rng.choice(["maju dan sejahtera", "aman dan tenteram", "rukun dan makmur"])
    mata_pencaharian = rng.choice(["nelayan dan pedagang", "petani sayur dan buruh",
                                   "pedagang dan perajin"])
    ciri = rng.choice(["dengan kegiatan UMKM paling ramai", "dengan posyandu paling aktif",
                       "paling hijau"])
    visi = rng.choice(["bersih, sehat, dan berdaya saing", "aman, tertib, dan sejahtera",
                       "melayani dengan cepat dan ramah"])
    return f"""
## Sejarah

Kelurahan {nama} terbentuk pada tahun {tahun} sebagai hasil pemekaran dari {pecahan}.
Nama {nama} diambil dari harapan para tokoh pendiri agar wilayah ini menjadi tempat tinggal
yang {harapan} bagi warganya.

Pada awalnya wilayah ini berupa permukiman kecil di tepi sungai dengan mata pencaharian utama
{mata_pencaharian}. Seiring pertumbuhan Kota Contoh, kawasan ini berkembang menjadi permukiman
padat dengan {meta['jumlah_rw']} RW dan {meta['jumlah_rt']} RT. Balai warga, posyandu, dan musala
dibangun secara swadaya oleh warga bersama pemerintah kota.

Kini Kelurahan {nama} dihuni sekitar {penduduk} jiwa dan menjadi salah satu kelurahan {ciri}
di Kecamatan {kec}. Luas wilayahnya sekitar {luas} km².

## Visi dan Misi

**Visi:** Terwujudnya Kelurahan {nama} yang {visi}.

**Misi:**

1. Memberikan pelayanan administrasi yang cepat, mudah, dan tanpa pungutan biaya.
2. Mendorong partisipasi warga dalam pembangunan dan kebersihan lingkungan.
3. Memberdayakan usaha mikro, PKK, dan karang taruna.
4. Menjaga ketenteraman dan ketertiban bersama Ketua RT, RW, dan aparat keamanan.

## Struktur Organisasi

| Jabatan | Nama |
| --- | --- |
{tabel}

Pelayanan dibuka {meta['jam_layanan']}. Di luar jam tersebut warga dapat bertanya melalui
WhatsApp kelurahan.
"""


def _service(spec: dict, urutan: int, nama: str, rng: random.Random) -> tuple[dict, str]:
    """Front matter and body of one service page, with small per-kelurahan variations."""
    syarat = list(spec["syarat"]) + [s for s in spec["tambahan"] if rng.random() < 0.6]
    hari = rng.choice([1, 1, 1, 2])
    waktu = f"{hari} hari kerja"
    meta = {
        "judul": spec["judul"],
        "urutan": urutan,
        "syarat": syarat,
        "kata_kunci": list(spec["kata_kunci"]),
        "biaya": "Gratis",
        "waktu": waktu,
        "ringkasan": spec["ringkasan"],
    }
    langkah = "\n".join(f"{i}. {s.format(nama=nama, waktu=waktu)}" for i, s in enumerate(_PROSEDUR, 1))
    hukum = "\n".join(f"- {d}" for d in spec["dasar"])
    body = f"""
## Prosedur

{langkah}

Seluruh layanan ini **tidak dipungut biaya**. Jika ada yang meminta bayaran, laporkan kepada Lurah.

## Dasar Hukum

{hukum}
"""
    return meta, body


def _fill(template: str, ctx: dict) -> str:
    """`template` with {placeholders} from `ctx`."""
    return template.format(**ctx)


def _pick_topic(day: date, rng: random.Random) -> dict:
    """A topic for the week of `day`: Independence Day games only (and mostly) in August."""
    lomba = [t for t in TOPIK if t["slug"] == "lomba-17-agustus"]
    if day.month == 8 and rng.random() < 0.6:
        return lomba[0]
    return rng.choice([t for t in TOPIK if t not in lomba])


def _post(topic: dict, day: date, ctx: dict, rng: random.Random) -> tuple[str, dict, str]:
    """Title, front matter (without `foto`) and 150-400 word body of one weekly post."""
    event = day - timedelta(days=rng.choice([1, 2, 3]))
    ctx = dict(ctx, rt=f"{rng.randint(1, 40):02d}", rw=f"{rng.randint(1, 12):02d}", n=rng.randint(20, 180),
               hari=HARI[event.weekday()], tgl=_tanggal_teks(event))
    ctx["tempat"] = _fill(rng.choice(_TEMPAT), ctx)
    judul = _fill(rng.choice(topic["judul"]), ctx)
    target = rng.randint(160, 370)
    sentences = [_fill(rng.choice(topic["buka"]), ctx)]
    pool = [_fill(s, ctx) for s in topic["isi"] + rng.sample(_UMUM, 14)] + [_fill(rng.choice(_KUTIPAN), ctx)]
    rng.shuffle(pool)
    closing = _fill(rng.choice(topic["tutup"]), ctx)
    words = len(sentences[0].split()) + len(closing.split())
    for s in pool:
        if words >= target:
            break
        sentences.append(s)
        words += len(s.split())
    while words < 150:  # short topics: add generic sentences until the minimum length
        s = _fill(rng.choice(_UMUM), ctx)
        sentences.append(s)
        words += len(s.split())
    sentences.append(closing)
    paragraphs, i = [], 0
    while i < len(sentences):
        step = rng.randint(2, 4)
        paragraphs.append(" ".join(sentences[i:i + step]))
        i += step
    meta = {
        "judul": judul,
        "tanggal": day,
        "kategori": list(topic["kategori"]),
        "ringkasan": _fill(topic["ringkasan"], ctx),
    }
    return judul, meta, "\n\n".join(paragraphs)


def slugify(text: str, max_len: int = 60) -> str:
    """ "Posyandu Balita RW 02: Penimbangan" -> "posyandu-balita-rw-02-penimbangan" ([a-z0-9-], cut at a word)."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0]
    return slug or "kegiatan"


def _place_file(src: Path, dst: Path) -> None:
    """Hard-link `src` to `dst`, copying when the file system refuses."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def draw_pool(pool_dir: Path, count: int, seed: int) -> list[tuple[Path, str]]:
    """Draw (or reuse from `pool_dir`) `count` photos; returns [(path, scene)].

    Files are named by seed and index, so a warm cache costs nothing."""
    pool_dir.mkdir(parents=True, exist_ok=True)
    photos = []
    for i in range(count):
        scene = SCENES[i % len(SCENES)]
        path = pool_dir / f"s{seed}-{i:03d}-{scene}.jpg"
        if not path.exists():
            tmp = path.with_suffix(".tmp.jpg")
            save_photo(draw_photo(seed * 10007 + i, scene=scene), tmp)
            tmp.replace(path)  # atomic: an interrupted run never leaves a half-written pool photo
        photos.append((path, scene))
    return photos


def _prepare(out_dir: Path) -> None:
    """Create `out_dir`, wiping it first only if an earlier `generate` made it."""
    if out_dir.exists() and any(out_dir.iterdir()):
        if not (out_dir / MARKER).exists():
            raise FileExistsError(f"{out_dir} is not empty and was not made by synth.generate; refusing to overwrite")
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MARKER).write_text("generated by benchmarks/synth.py; safe to delete\n", encoding="utf-8")


KOTA_YML = """\
nama: Kota Contoh
provinsi: Kalimantan Contoh
zona_waktu: Asia/Makassar
alamat_situs: https://kelurahan.kotacontoh.example/
jam_terbit: "09:00"
audit:
  aktif_hari: 7
  kurang_aktif_hari: 30
situs_luar:
  - nama: Kelurahan Lama Jaya (WordPress)
    url: https://lamajaya.kotacontoh.example/
  - nama: Kelurahan Sungai Putih (OpenSID)
    url: https://sungaiputih.kotacontoh.example/
"""
"""kota.yml: the same keys and values as the sample city in content/."""


_LOGO_COLOURS = ["#1f6f43", "#1d4e89", "#8c2f39", "#b5651d", "#5b3f8c", "#0f766e", "#374151", "#9a3412"]


def generate(out_dir: Path, kelurahan: int, posts: int, *, seed: int = 1, photo_pool: int = 40,
             start: date = date(2026, 11, 16), pool_dir: Path | None = None) -> Path:
    """Write a complete fictional content tree into `out_dir` and return `out_dir`.

    `kelurahan` folders `kelurahan-001`..., each with a profile, 8 services and
    `posts` weekly posts dated `start`, `start - 7 days`, ...  Each post has one
    photo hard-linked from a pool of `photo_pool` drawn photos cached in
    `pool_dir` (default `<out_dir parent>/.synth-photo-pool`).  `out_dir` must be
    absent, empty, or an earlier output of this function (then it is replaced).
    """
    out_dir = Path(out_dir)
    if kelurahan < 1 or posts < 0 or photo_pool < 1:
        raise ValueError("need kelurahan >= 1, posts >= 0, photo_pool >= 1")
    _prepare(out_dir)
    pool_dir = Path(pool_dir) if pool_dir else out_dir.resolve().parent / ".synth-photo-pool"
    pool = draw_pool(pool_dir, min(photo_pool, max(1, kelurahan * posts)), seed)
    by_scene: dict[str, list[Path]] = {}
    for path, scene in pool:
        by_scene.setdefault(scene, []).append(path)

    (out_dir / "kota.yml").write_text(
        f"# Data sintetis: {kelurahan} kelurahan fiktif (benchmarks/synth.py)\n" + KOTA_YML, encoding="utf-8")
    names = _kelurahan_names(kelurahan, random.Random(f"names-{seed}"))
    for index, nama in enumerate(names, 1):
        rng = random.Random(f"{seed}-{index}")
        folder = out_dir / f"kelurahan-{index:03d}"
        for sub in ("layanan", "kegiatan", "media"):
            (folder / sub).mkdir(parents=True)
        meta, body, lurah = _profile(index, nama, rng)
        (folder / "profil.md").write_text(_front_matter(meta, body), encoding="utf-8")
        draw_logo(nama, _LOGO_COLOURS[index % len(_LOGO_COLOURS)]).save(folder / "media" / "logo.png")
        for urutan, spec in enumerate(LAYANAN, 1):
            smeta, sbody = _service(spec, urutan, nama, rng)
            (folder / "layanan" / f"{spec['slug']}.md").write_text(_front_matter(smeta, sbody), encoding="utf-8")
        ctx = {"nama": nama, "lurah": lurah, "kec": meta["kecamatan"]}
        for week in range(posts):
            day = start - timedelta(weeks=week)
            topic = _pick_topic(day, rng)
            judul, pmeta, pbody = _post(topic, day, ctx, rng)
            stem = f"{day.isoformat()}-{slugify(judul)}"
            candidates = by_scene.get(topic["scene"]) or [p for p, _ in pool]
            photo = f"{stem}-1.jpg"
            _place_file(rng.choice(candidates), folder / "media" / photo)
            pmeta = {"judul": pmeta["judul"], "tanggal": pmeta["tanggal"], "foto": [f"media/{photo}"],
                     "kategori": pmeta["kategori"], "ringkasan": pmeta["ringkasan"]}
            (folder / "kegiatan" / f"{stem}.md").write_text(_front_matter(pmeta, pbody), encoding="utf-8")
    return out_dir


def disk_usage(root: Path) -> int:
    """Bytes used under `root`, counting each hard-linked inode once."""
    seen, total = set(), 0
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            st = os.stat(os.path.join(dirpath, name))
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_blocks * 512
    return total


def main(argv: list[str] | None = None) -> int:
    """CLI: generate, then print file count, disk size and elapsed time."""
    parser = argparse.ArgumentParser(description="Generate a fictional content tree for benchmarks.")
    parser.add_argument("out", type=Path, help="output content folder (created; replaced if made by synth)")
    parser.add_argument("--kelurahan", type=int, default=59)
    parser.add_argument("--posts", type=int, default=150, help="weekly posts per kelurahan")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--photo-pool", type=int, default=40)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2026, 11, 16),
                        help="date of the newest post (YYYY-MM-DD)")
    parser.add_argument("--pool-dir", type=Path, default=None, help="photo cache (default: next to OUT)")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    root = generate(args.out, args.kelurahan, args.posts, seed=args.seed, photo_pool=args.photo_pool,
                    start=args.start, pool_dir=args.pool_dir)
    elapsed = time.perf_counter() - began
    files = sum(len(f) for _d, _s, f in os.walk(root))
    print(f"{args.kelurahan} kelurahan × {args.posts} posts -> {root}: {files} files, "
          f"{disk_usage(root) / 1e6:.1f} MB on disk (hard links counted once), {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
