"""click's own words (usage, help, errors) in Indonesian, like every other line the tool prints.

click translates through `gettext` with the process locale and ships no Indonesian catalogue;
the staff and Diskominfo machines run in English or C locales. So the command installs this
table as the translation click's modules look up (`_` and `ngettext` in each module), once, at
start: nothing changes for other programs or for subprocesses (git, Pagefind).
"""

from __future__ import annotations

import importlib

WORDS = {
    "Usage:": "Penggunaan:",
    "Options": "Opsi",
    "Commands": "Perintah",
    "Positional arguments": "Argumen",
    "Show this message and exit.": "Tampilkan bantuan ini lalu keluar.",
    "Show the version and exit.": "Tampilkan versi lalu keluar.",
    "%(prog)s, version %(version)s": "%(prog)s, versi %(version)s",
    "Error: {message}": "Galat: {message}",
    "Try '{command} {option}' for help.": "Lihat '{command} {option}' untuk bantuan.",
    "Aborted!": "Dibatalkan.",
    "Missing argument": "Argumen belum diisi",
    "Missing option": "Opsi belum diisi",
    "Missing parameter": "Parameter belum diisi",
    "Missing {param_type}": "{param_type} belum diisi",
    "Missing parameter: {param_name}": "Parameter belum diisi: {param_name}",
    "Missing command.": "Perintah belum diisi.",
    "No such command {name!r}.": "Tidak ada perintah {name!r}.",
    "No such option {name!r}.": "Tidak ada opsi {name!r}.",
    "Option {name!r} does not take a value.": "Opsi {name!r} tidak menerima nilai.",
    "Invalid value for {param_hint}: {message}": "Nilai tidak sah untuk {param_hint}: {message}",
    "Invalid value: {message}": "Nilai tidak sah: {message}",
    "Argument {name!r} takes {nargs} values.": "Argumen {name!r} menerima {nargs} nilai.",
    "Value must be an iterable.": "Nilai harus berupa daftar.",
    "{value!r} is not a valid {number_type}.": "{value!r} bukan {number_type} yang sah.",
    "{value} is not in the range {range}.": "{value} di luar rentang {range}.",
    "{value!r} is not a valid UUID.": "{value!r} bukan UUID yang sah.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} tidak ada.",
    "{name} {filename!r} is a file.": "{name} {filename!r} adalah berkas, bukan folder.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} adalah folder, bukan berkas.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} tidak bisa dibaca.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} tidak bisa ditulisi.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} tidak bisa dijalankan.",
    "file": "Berkas",
    "directory": "Folder",
    "path": "Jalur",
    "Could not open file {filename!r}: {message}": "Berkas {filename!r} tidak bisa dibuka: {message}",
    "default: {default}": "bawaan: {default}",
    "env var: {var}": "variabel lingkungan: {var}",
    "required": "wajib",
    "(dynamic)": "(dinamis)",
    "deprecated": "usang",
    "Choose from:\n\t{choices}": "Pilih salah satu:\n\t{choices}",
    "Do you want to continue?": "Lanjutkan?",
    "Confirm the action without prompting.": "Setujui tanpa ditanya.",
    "Repeat for confirmation": "Ulangi untuk konfirmasi",
    "Error: The two entered values do not match.": "Galat: kedua isian tidak sama.",
    "Error: invalid input": "Galat: isian tidak sah",
    "Press any key to continue...": "Tekan tombol apa saja untuk lanjut...",
}
PLURALS = {
    "Got unexpected extra argument ({args})": "Ada argumen yang tidak dikenal ({args})",
    "Got unexpected extra arguments ({args})": "Ada argumen yang tidak dikenal ({args})",
    "Did you mean {possibility}?": "Maksud Anda {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Maksud Anda salah satu dari: {possibilities}?)",
    "Option {name!r} requires an argument.": "Opsi {name!r} memerlukan nilai.",
    "Option {name!r} requires {nargs} arguments.": "Opsi {name!r} memerlukan {nargs} nilai.",
    "{value!r} is not {choice}.": "{value!r} bukan {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} bukan salah satu dari {choices}.",
    "Takes {nargs} values but 1 was given.": "Menerima {nargs} nilai, tetapi diberi 1.",
    "Takes {nargs} values but {len} were given.": "Menerima {nargs} nilai, tetapi diberi {len}.",
    "{value!r} does not match the format {format}.": "{value!r} tidak sesuai format {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} tidak sesuai format {formats}.",
}
_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")
# Type names: shown in help (`--jobs ANGKA`) and in "… bukan angka yang sah".
TYPE_NAMES = {"StringParamType": "teks", "IntParamType": "angka",
              "IntRange": "angka", "FloatParamType": "bilangan", "FloatRange": "bilangan",
              "BoolParamType": "ya/tidak", "DateTime": "tanggal-waktu", "File": "nama berkas"}


def translate(message: str) -> str:
    return WORDS.get(message, message)


def translate_plural(singular: str, plural: str, count: int) -> str:
    return PLURALS.get(singular if count == 1 else plural, singular if count == 1 else plural)


def speak_indonesian() -> None:
    """Make click's modules look their words up here instead of in the process locale."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = translate  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = translate_plural  # type: ignore[attr-defined]
    types = importlib.import_module("click.types")
    for class_name, name in TYPE_NAMES.items():
        getattr(types, class_name).name = name
