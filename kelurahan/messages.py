"""Pydantic's validation errors, said in Indonesian with the key the author wrote."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from kelurahan.dates import as_written_iso, impossible_date

_TEMPLATES = {
    "missing": "wajib diisi",
    "list_type": "harus berupa daftar, bukan {value}",
    "tuple_type": "harus berupa daftar, bukan {value}",
    "int_type": "harus berupa bilangan bulat, bukan {value}",
    "int_parsing": "harus berupa bilangan bulat, bukan {value}",
    "int_from_float": "harus berupa bilangan bulat, bukan {value}",
    "float_type": "harus berupa angka, bukan {value}",
    "float_parsing": "harus berupa angka, bukan {value}",
    "bool_type": "harus ya atau tidak (true/false), bukan {value}",
    "bool_parsing": "harus ya atau tidak (true/false), bukan {value}",
    "string_type": "harus berupa teks, bukan {value}",
    "string_too_short": "tidak boleh kosong",
    "too_short": "tidak boleh kosong; tulis minimal satu isian",
    "too_long": "terlalu banyak isian: {value}",
    "dict_type": "harus berupa pasangan kunci: nilai, bukan {value}",
    "model_type": "harus berupa pasangan kunci: nilai, bukan {value}",
    "model_attributes_type": "harus berupa pasangan kunci: nilai, bukan {value}",
    "date_type": "harus berupa tanggal seperti 2025-10-27, bukan {value}",
    "date_parsing": "harus berupa tanggal seperti 2025-10-27, bukan {value}",
    "date_from_datetime_parsing": "harus berupa tanggal seperti 2025-10-27, bukan {value}",
    "date_from_datetime_inexact": "harus berupa tanggal tanpa jam, bukan {value}",
    "datetime_type": "harus berupa tanggal dan jam seperti 2025-10-27T09:00, bukan {value}",
    "datetime_parsing": "harus berupa tanggal dan jam seperti 2025-10-27T09:00, bukan {value}",
    "datetime_from_date_parsing": "harus berupa tanggal dan jam seperti 2025-10-27T09:00, bukan {value}",
    "time_type": "harus berupa jam seperti 09:00, bukan {value}",
    "time_parsing": "harus berupa jam seperti 09:00, bukan {value}",
    "greater_than": "harus lebih besar dari {gt}, bukan {value}",
    "greater_than_equal": "tidak boleh kurang dari {ge}, bukan {value}",
    "literal_error": "harus salah satu dari {expected}, bukan {value}",
    "string_pattern_mismatch": "bentuknya tidak valid: {value}",
    "extra_forbidden": "kunci tidak dikenal",
}


def field_name(loc: tuple[int | str, ...]) -> str:
    """`('syarat', 1)` → `syarat #2`: list positions counted from one, as people count."""
    name = ""
    for item in loc:
        if isinstance(item, int):
            name += f" #{item + 1}"
        else:
            name += f".{item}" if name else item
    return name


def _shown(value: Any) -> str:
    """The value as staff wrote it, not as Python prints it (`None`, `False`, `['a']`)."""
    if value is None:
        text = "kosong"
    elif isinstance(value, bool):
        text = "ya" if value else "tidak"
    elif isinstance(value, list | tuple):
        text = "daftar [" + ", ".join(str(item) for item in value) + "]"
    elif isinstance(value, dict):
        text = "pasangan kunci: nilai"
    elif isinstance(value, str):
        text = repr(value)
    else:
        text = str(value)  # numbers as written (kelurahan.yamlfile.WrittenFloat)
    return text if len(text) <= 60 else text[:57] + "…"


_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")  # `18.734`: Indonesian for 18734


def describe(error: ErrorDetails | dict[str, Any]) -> str:
    """One pydantic error dict → one Indonesian message."""
    kind = error["type"]
    if kind in ("value_error", "assertion_error"):
        message = str(error.get("ctx", {}).get("error", error["msg"]))
        return message.removeprefix("Value error, ")
    if kind.startswith(("date", "datetime")) and isinstance(error.get("input"), str):
        reason = impossible_date(error["input"])
        if reason:
            return reason
        if iso := as_written_iso(error["input"]):
            return (f"harus ditulis tahun-bulan-tanggal: {iso}, bukan {_shown(error['input'])}")
    if kind in ("int_from_float", "int_parsing") and _THOUSANDS.fullmatch(str(error.get("input"))):
        written = str(error["input"])
        return (f"harus berupa bilangan bulat, bukan {written}; tulis tanpa titik ribuan: "
                f"{re.sub(r'[.,]', '', written)}")
    template = _TEMPLATES.get(kind)
    if template is None:
        return f"nilai tidak valid: {_shown(error.get('input'))}"
    ctx = {k: v for k, v in error.get("ctx", {}).items() if k != "error"}
    if kind == "literal_error":
        ctx["expected"] = ctx.get("expected", "").replace(" or ", ", ")
    return template.format(value=_shown(error.get("input")), **ctx)


def translate(exc: ValidationError) -> list[tuple[str, str]]:
    """(field, message) pairs, one per error, for the whole model."""
    return [(field_name(err["loc"]) or "isi", describe(err)) for err in exc.errors()]
