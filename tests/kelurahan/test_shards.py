"""Shard assignment and where the shard comes from (flag, Kubernetes, GitLab)."""

from __future__ import annotations

import pytest

from kelurahan.shards import Shard, ShardError, parse_shard, resolve_shard, shard_number


def test_assignment_is_stable_and_spread() -> None:
    slugs = [f"kelurahan-{i:05d}" for i in range(1, 4001)]
    before = {slug: shard_number(slug, 8) for slug in slugs}
    # Adding kelurahan moves none of the existing ones (the hash sees only the slug).
    assert {slug: shard_number(slug, 8) for slug in slugs[:2000]} == {
        slug: before[slug] for slug in slugs[:2000]}
    counts = [list(before.values()).count(n) for n in range(1, 9)]
    assert min(counts) > 400 and max(counts) < 600
    shards = [Shard(n, 8) for n in range(1, 9)]
    assert sorted(s for shard in shards for s in shard.select(slugs)) == sorted(slugs)
    assert shard_number("sukamaju", 4) == 4  # fixed across Python versions and machines


def test_no_flags_and_no_engine_means_no_sharding() -> None:
    assert resolve_shard(None, None, {}) is None
    # An Indexed Job running some other work does not turn a build into a shard.
    assert resolve_shard(None, None, {"JOB_COMPLETION_INDEX": "3"}) is None


@pytest.mark.parametrize(("flag", "count", "env", "expected"), [
    ("2/4", None, {}, Shard(2, 4)),
    (" 1 / 1 ", None, {}, Shard(1, 1)),
    (None, 4, {"JOB_COMPLETION_INDEX": "0"}, Shard(1, 4)),
    (None, 4, {"JOB_COMPLETION_INDEX": "3"}, Shard(4, 4)),
    (None, None, {"CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "3"}, Shard(2, 3)),
    ("2/3", 3, {"CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "3", "JOB_COMPLETION_INDEX": "1"},
     Shard(2, 3)),
])
def test_shard_sources(flag, count, env, expected) -> None:
    assert resolve_shard(flag, count, env) == expected


@pytest.mark.parametrize(("flag", "count", "env", "message"), [
    ("2", None, {}, "--shard '2': tulis sebagai I/N, misalnya 2/4 (shard ke-2 dari 4)"),
    ("0/4", None, {}, "--shard 0/4: shard ke-0 tidak ada; pilih 1 sampai 4"),
    ("5/4", None, {}, "--shard 5/4: shard ke-5 tidak ada; pilih 1 sampai 4"),
    ("1/0", None, {}, "--shard 1/0: jumlah shard harus 1 atau lebih"),
    (None, 4, {}, "--shard-count 4: nomor shard tidak diketahui; jalankan sebagai Kubernetes "
                  "Indexed Job (JOB_COMPLETION_INDEX) atau pakai --shard I/4"),
    (None, 4, {"JOB_COMPLETION_INDEX": "4"},
     "JOB_COMPLETION_INDEX=4 (dihitung dari 0) dengan --shard-count 4: shard ke-5 tidak ada; "
     "pilih 1 sampai 4"),
    (None, 4, {"JOB_COMPLETION_INDEX": "-1"},
     "JOB_COMPLETION_INDEX='-1' bukan bilangan bulat 0 atau lebih"),
    (None, None, {"CI_NODE_INDEX": "1"},
     "CI_NODE_TOTAL tidak ada padahal CI_NODE_INDEX/CI_NODE_TOTAL harus diisi berdua (GitLab "
     "mengisinya untuk job dengan 'parallel:')"),
    (None, None, {"CI_NODE_INDEX": "0", "CI_NODE_TOTAL": "4"},
     "CI_NODE_INDEX=0 dan CI_NODE_TOTAL=4: shard ke-0 tidak ada; pilih 1 sampai 4"),
    (None, None, {"CI_NODE_INDEX": "x", "CI_NODE_TOTAL": "4"},
     "CI_NODE_INDEX='x' dan CI_NODE_TOTAL='4' harus bilangan bulat"),
    ("1/4", None, {"CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "4"},
     "shard 1/4 dari --shard tidak cocok dengan shard 2/4 dari CI_NODE_INDEX/CI_NODE_TOTAL; "
     "pakai salah satu saja"),
    ("1/4", 3, {}, "--shard-count 3 tidak cocok dengan jumlah shard 4 dari --shard"),
    (None, 3, {"CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "4"},
     "--shard-count 3 tidak cocok dengan jumlah shard 4 dari CI_NODE_INDEX/CI_NODE_TOTAL"),
])
def test_inconsistent_shards_are_refused(flag, count, env, message) -> None:
    with pytest.raises(ShardError) as caught:
        resolve_shard(flag, count, env)
    assert str(caught.value) == message


def test_parse_shard_text() -> None:
    assert str(parse_shard("3/8")) == "3/8"
