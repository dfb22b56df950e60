"""YAML as people write it, its mistakes explained in Indonesian at the line they start, and the
line of any key a problem is about.

`10:30` stays a time, not the base-60 integer 630 of YAML 1.1; an impossible date such as
`2026-02-30` stays text (so validation can say why) instead of crashing the parser; a key
written twice is an error instead of a silent overwrite. A number remembers how it was written,
so a text field gets `10.000` (ten thousand rupiah), `08.00` or `+62541700100` back as written,
not `10.0`, `8.0` or `62541700100`; a leading zero is not octal (`0541700100` is a phone number).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import yaml

from kelurahan.problems import Problem

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10× faster


class WrittenInt(int):
    """An integer from YAML with the text it was written as (`str()` gives that text back)."""

    text: str

    def __new__(cls, value: int, text: str | None = None) -> WrittenInt:
        number = super().__new__(cls, value)
        number.text = str(value) if text is None else text
        return number

    def __str__(self) -> str:
        return self.text


class WrittenFloat(float):
    """A decimal number from YAML with the text it was written as: in Indonesian `10.000` is ten
    thousand and `08.00` a time, and a text field must show them so (`str()`)."""

    text: str

    def __new__(cls, value: float, text: str | None = None) -> WrittenFloat:
        number = super().__new__(cls, value)
        number.text = repr(float(value)) if text is None else text
        return number

    def __str__(self) -> str:
        return self.text


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """SafeLoader without sexagesimal or octal numbers, numbers that remember their text,
    crash-free dates and with duplicate keys refused."""

    def construct_written_int(self, node: yaml.Node) -> WrittenInt:
        return WrittenInt(self.construct_yaml_int(node), node.value)

    def construct_written_float(self, node: yaml.Node) -> WrittenFloat:
        return WrittenFloat(self.construct_yaml_float(node), node.value)

    def construct_yaml_timestamp(self, node: yaml.Node) -> object:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict:
        seen: dict[str, yaml.Node] = {}
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                if key.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, seen[key.value].start_mark, f"duplicate key {key.value}",
                        key.start_mark)
                seen[key.value] = key
        return super().construct_mapping(node, deep=deep)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_written_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_written_float)
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (
        "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?"
        r"|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


@dataclass(frozen=True)
class YamlError(Exception):
    """Malformed YAML: the 1-based line (within the parsed text) where the mistake starts, and
    what is wrong in Indonesian with how to fix it."""

    line: int | None
    reason: str


def parse_yaml(text: str) -> object:
    """Parse one YAML document; YamlError with line and Indonesian reason on malformed input."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise _explain(exc, text.splitlines()) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise YamlError(line, "memuat karakter kendali yang tidak boleh ada (tak terlihat); "
                              "hapus karakter itu atau ketik ulang baris ini") from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
        raise YamlError(None, _FALLBACK) from None


_TAB = "karakter tab tidak boleh dipakai untuk indentasi; ganti dengan spasi"
_FALLBACK = "penulisan tidak valid; periksa titik dua, tanda kutip dan indentasi"


@dataclass(frozen=True)
class _Spot:
    """Where PyYAML/libyaml stopped and what it was doing, plus the text to look at."""

    problem: str
    context: str
    line: int | None  # 0-based line of the problem
    column: int
    context_line: int | None
    context_column: int
    lines: Sequence[str]

    def text(self, line: int | None) -> str:
        return self.lines[line] if line is not None and 0 <= line < len(self.lines) else ""


def _explain(exc: yaml.MarkedYAMLError, lines: Sequence[str]) -> YamlError:
    problem, context = exc.problem_mark, exc.context_mark
    spot = _Spot(exc.problem or "", exc.context or "",
                 problem.line if problem else None, problem.column if problem else 0,
                 context.line if context else None, context.column if context else 0, lines)
    for matches, explain in _RULES:
        if matches(spot):
            line, reason = explain(spot)
            return YamlError(line + 1 if line is not None else None, reason)
    line = spot.line if spot.line is not None else spot.context_line
    return YamlError(line + 1 if line is not None else None, _FALLBACK)


def _has(*words: str) -> Callable[[_Spot], bool]:
    return lambda spot: any(w in spot.problem or w in spot.context for w in words)


def _colon_in_value(spot: _Spot) -> tuple[int | None, str]:
    text = spot.text(spot.line)
    before = text[: spot.column]
    if text[:1] in (" ", "\t") and ":" not in before:
        return spot.line, ("baris ini menjorok lebih dalam dari kunci sebelumnya; tulis kunci "
                           "sejajar dengan kunci lain (atau beri tanda kutip bila titik dua "
                           "bagian dari nilai)")
    key, _, value = text.partition(":")
    example = f'{key.strip()}: "{value.strip()}"' if value.strip() else 'judul: "Rapat: RT 03"'
    return spot.line, ("nilai memuat titik dua (:); beri tanda kutip pada nilai yang memuat "
                       f"titik dua: {example}")


def _unclosed_quote(spot: _Spot) -> tuple[int | None, str]:
    text = spot.text(spot.context_line)
    quote = text[spot.context_column: spot.context_column + 1]
    quote = quote if quote in ("'", '"') else '"'
    return spot.context_line, (f"tanda kutip {quote} dibuka di baris ini tetapi tidak ditutup; "
                               f"tambahkan {quote} di akhir nilai")


def _unclosed(opening: str, closing: str) -> Callable[[_Spot], tuple[int | None, str]]:
    def explain(spot: _Spot) -> tuple[int | None, str]:
        return spot.context_line, (f"'{opening}' dibuka di baris ini tetapi tidak ditutup dengan "
                                   f"'{closing}'; tutup dengan '{closing}' di baris yang sama, atau "
                                   "beri tanda kutip pada isian yang memuat titik dua")
    return explain


def _misaligned(spot: _Spot) -> tuple[int | None, str]:
    text = spot.text(spot.line).strip()
    if text.startswith("-"):
        return spot.line, ("isian daftar '- …' ini tidak sejajar; setiap isian daftar diawali "
                           "jumlah spasi yang sama")
    if re.match(r"""^[^'"]*:\s*(['"]).*\1\s*\S""", text):
        return spot.line, ("ada teks setelah tanda kutip penutup; beri tanda kutip pada seluruh "
                           "nilai")
    return spot.line, ("indentasi tidak sejajar; kunci pada tingkat yang sama harus diawali "
                       "jumlah spasi yang sama")


def _bad_start(spot: _Spot) -> tuple[int | None, str]:
    text = spot.text(spot.line)
    char = text[spot.column: spot.column + 1]
    if char == "\t":
        return spot.line, _TAB
    char = char.strip() or "@"
    key, _, value = text.partition(":")
    example = f'{key.strip()}: "{value.strip()}"' if value.strip() else f'"{char}…"'
    return spot.line, f"nilai tidak boleh diawali '{char}' tanpa tanda kutip; tulis {example}"


def _duplicate(spot: _Spot) -> tuple[int | None, str]:
    key = spot.problem.removeprefix("duplicate key ")
    first = f" (pertama di baris {spot.context_line + 1})" if spot.context_line is not None else ""
    return spot.line, f"kunci '{key}' ditulis dua kali{first}; hapus salah satu"


def _fixed(reason: str, *, at_context: bool = False) -> Callable[[_Spot], tuple[int | None, str]]:
    return lambda spot: (spot.context_line if at_context else spot.line, reason)


_RULES: tuple[tuple[Callable[[_Spot], bool], Callable[[_Spot], tuple[int | None, str]]], ...] = (
    (_has("duplicate key"), _duplicate),
    (_has("mapping values are not allowed"), _colon_in_value),
    (lambda s: "quoted scalar" in s.context and "end of stream" in s.problem, _unclosed_quote),
    (_has("flow sequence"), _unclosed("[", "]")),
    (_has("flow mapping"), _unclosed("{", "}")),
    (_has("tab character", "'\\t'"), _fixed(_TAB)),
    (_has("could not find expected ':'"), _fixed(
        "baris ini bukan kunci: nilai; tambahkan titik dua setelah nama kunci "
        "(misalnya kategori: Kebersihan)", at_context=True)),
    (_has("did not find expected key", "expected <block end>", "did not find expected '-'"),
     _misaligned),
    (_has("cannot start any token", "undefined alias", "could not determine a constructor",
          "expected alphabetic or numeric character", "expected tag handle", "did not find URI"),
     _bad_start),
    (_has("unknown escape character", "expected escape sequence"), _fixed(
        "garis miring terbalik (\\) di dalam tanda kutip ganda; pakai tanda kutip tunggal "
        "('…') atau tulis \\\\")),
    (_has("unhashable key", "unacceptable key"),
     _fixed("kunci harus berupa teks biasa, bukan daftar atau pasangan kunci: nilai")),
    (_has("expected a single document", "but found another document"),
     _fixed("hanya boleh satu blok; hapus baris --- tambahan")),
)


def key_line(text: str, loc: Sequence[int | str]) -> int | None:
    """The 1-based line in `text` where the value at `loc` (keys and list positions) is written.

    Goes as deep as the document allows: for a missing nested key, the line of its parent;
    for a missing top-level key, None. Called only when there is something to report.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, RecursionError):
        return None
    line = None
    for item in loc:
        child = _child(node, item)
        if child is None:
            break
        line, node = child
    return line


def _child(node: yaml.Node | None, item: int | str) -> tuple[int, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(item):
                return key.start_mark.line + 1, value
    if isinstance(node, yaml.SequenceNode) and isinstance(item, int) and item < len(node.value):
        value = node.value[item]
        return value.start_mark.line + 1, value
    return None


_FRONT_MATTER = frontmatter.YAMLHandler.FM_BOUNDARY


def split_front_matter(text: str) -> tuple[str | None, str, int] | None:
    """(YAML, body, lines before the YAML) as python-frontmatter splits it; None without a
    leading `---`, YAML None when the block is not closed."""
    opening = _FRONT_MATTER.match(text)
    if opening is None:
        return None
    parts = _FRONT_MATTER.split(text, 2)
    if len(parts) < 3:
        return None, text, 0
    return parts[1], parts[2], text[: opening.end()].count("\n")


def front_matter_text(path: Path) -> tuple[str, int] | None:
    """The YAML a content file's keys are written in, and the lines before it (for line numbers)."""
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    if path.suffix != ".md":
        return text, 0
    split = split_front_matter(text)
    if split is None or split[0] is None:
        return None
    return split[0], split[2]


def locate(problems: list[Problem]) -> list[Problem]:
    """The problems, each given the line where its key is written when it had none."""
    texts: dict[str, tuple[str, int] | None] = {}
    located = []
    for problem in problems:
        if problem.line is None and problem.path.endswith((".md", ".yml", ".yaml")):
            if problem.path not in texts:
                texts[problem.path] = front_matter_text(Path(problem.path))
            found = texts[problem.path]
            line = key_line(found[0], _loc(problem.field)) if found else None
            if found and line is not None:
                problem = dataclasses.replace(problem, line=line + found[1])
        located.append(problem)
    return located


def _loc(field_: str) -> tuple[str | int, ...]:
    """`foto #1.berkas` → ('foto', 0, 'berkas'): the inverse of `messages.field_name`."""
    loc: list[str | int] = []
    for part in field_.split("."):
        name, *numbers = part.split(" #")
        loc.append(name)
        loc += [int(n) - 1 for n in numbers if n.isdigit()]
    return tuple(loc)
