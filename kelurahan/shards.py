"""Which shard of a sharded build this process is, and which kelurahan belong to it.

A province or a country does not fit one server: `kelurahan build --shard I/N` builds only the
kelurahan of shard I. The assignment hashes the slug, so a kelurahan stays on its shard when
others are added or removed (only N changing moves sites). The shard can also come from the
engine that runs the build: a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX`, 0-based, with
`--shard-count N`) or a GitLab parallel job (`CI_NODE_INDEX`/`CI_NODE_TOTAL`, 1-based).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kelurahan.errors import KelurahanError

KUBERNETES_INDEX = "JOB_COMPLETION_INDEX"
GITLAB_INDEX = "CI_NODE_INDEX"
GITLAB_TOTAL = "CI_NODE_TOTAL"


class ShardError(KelurahanError):
    """The shard asked for is impossible or the engine's variables contradict it."""


@dataclass(frozen=True)
class Shard:
    """Shard `number` (1-based) of `count`."""

    number: int
    count: int

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"

    def holds(self, slug: str) -> bool:
        return shard_number(slug, self.count) == self.number

    def select(self, slugs: Iterable[str]) -> list[str]:
        return [slug for slug in slugs if self.holds(slug)]


def shard_number(slug: str, count: int) -> int:
    """1-based shard of `slug` among `count`: stable across runs, machines and Python versions."""
    digest = hashlib.sha256(slug.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def parse_shard(text: str) -> Shard:
    """`I/N` as typed after `--shard`, checked."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match:
        raise ShardError(f"--shard {text!r}: tulis sebagai I/N, misalnya 2/4 (shard ke-2 dari 4)")
    return _checked(int(match[1]), int(match[2]), f"--shard {text}")


def resolve_shard(flag: str | None, count: int | None, env: Mapping[str, str]) -> Shard | None:
    """The shard from `--shard`, `--shard-count` and the engine's variables; None = no sharding.

    Every source that is present must agree: a job that would silently build the wrong
    shard leaves kelurahan out of the site, so a contradiction stops the build instead.
    """
    found = [s for s in (_from_flag(flag, count), _from_kubernetes(env, count), _from_gitlab(env))
             if s is not None]
    if count is not None and not found:
        raise ShardError(f"--shard-count {count}: nomor shard tidak diketahui; jalankan sebagai "
                         f"Kubernetes Indexed Job ({KUBERNETES_INDEX}) atau pakai --shard I/{count}")
    if count is not None and any(shard.count != count for shard in found):
        other = next(shard for shard in found if shard.count != count)
        raise ShardError(f"--shard-count {count} tidak cocok dengan jumlah shard {other.count} "
                         f"dari {_source(other, flag, env)}")
    if len({*found}) > 1:
        first, second = found[0], next(s for s in found if s != found[0])
        raise ShardError(f"shard {first} dari {_source(first, flag, env)} tidak cocok dengan "
                         f"shard {second} dari {_source(second, flag, env)}; pakai salah satu saja")
    return found[0] if found else None


def _from_flag(flag: str | None, count: int | None) -> Shard | None:
    return parse_shard(flag) if flag is not None else None


def _from_kubernetes(env: Mapping[str, str], count: int | None) -> Shard | None:
    """Only with `--shard-count`: an Indexed Job may run other work than a sharded build."""
    raw = env.get(KUBERNETES_INDEX)
    if raw is None or count is None:
        return None
    if not raw.strip().isdigit():
        raise ShardError(f"{KUBERNETES_INDEX}={raw!r} bukan bilangan bulat 0 atau lebih")
    return _checked(int(raw) + 1, count, f"{KUBERNETES_INDEX}={raw} (dihitung dari 0) "
                                         f"dengan --shard-count {count}")


def _from_gitlab(env: Mapping[str, str]) -> Shard | None:
    index, total = env.get(GITLAB_INDEX), env.get(GITLAB_TOTAL)
    if index is None and total is None:
        return None
    if index is None or total is None:
        missing = GITLAB_INDEX if index is None else GITLAB_TOTAL
        raise ShardError(f"{missing} tidak ada padahal {GITLAB_INDEX}/{GITLAB_TOTAL} harus "
                         "diisi berdua (GitLab mengisinya untuk job dengan 'parallel:')")
    if not (index.strip().isdigit() and total.strip().isdigit()):
        raise ShardError(f"{GITLAB_INDEX}={index!r} dan {GITLAB_TOTAL}={total!r} harus "
                         "bilangan bulat")
    return _checked(int(index), int(total), f"{GITLAB_INDEX}={index} dan {GITLAB_TOTAL}={total}")


def _checked(number: int, count: int, where: str) -> Shard:
    if count < 1:
        raise ShardError(f"{where}: jumlah shard harus 1 atau lebih")
    if not 1 <= number <= count:
        raise ShardError(f"{where}: shard ke-{number} tidak ada; pilih 1 sampai {count}")
    return Shard(number, count)


def _source(shard: Shard, flag: str | None, env: Mapping[str, str]) -> str:
    if flag is not None and parse_shard(flag) == shard:
        return "--shard"
    if env.get(GITLAB_INDEX) is not None and _from_gitlab(env) == shard:
        return f"{GITLAB_INDEX}/{GITLAB_TOTAL}"
    return KUBERNETES_INDEX
