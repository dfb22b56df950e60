"""The shipped cluster examples: the Kubernetes Indexed Job and the GitHub Actions matrix.

There is no cluster here, so the Kubernetes Jobs' own shell scripts are run the way the pods
run them (JOB_COMPLETION_INDEX set per pod, `/hasil` on a temp folder), with the shard count
lowered from 16 to 2 to keep the test cheap; every replacement must match exactly.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from kelurahan.outputs import SHARD_SUMMARIES

REPO = Path(__file__).resolve().parents[2]
KUBERNETES = REPO / "deploy" / "kubernetes"
WORKFLOW = REPO / "deploy" / "github-actions" / "kelurahan-shards.yml"
SHIPPED_SHARDS = 16


def _job(name: str) -> dict:
    return yaml.safe_load((KUBERNETES / name).read_text("utf-8"))


def _script(job: dict) -> str:
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == ["sh", "-ec"]
    return container["args"][0]


def test_the_kubernetes_jobs_agree_with_each_other() -> None:
    konten, shard, portal = (_job(f"{n}-{s}-job.yaml") for n, s in
                             ((1, "konten"), (2, "shard"), (3, "portal")))
    claim = yaml.safe_load((KUBERNETES / "pvc.yaml").read_text("utf-8"))["metadata"]["name"]
    images = set()
    for job in (konten, shard, portal):
        pod = job["spec"]["template"]["spec"]
        assert pod["volumes"] == [{"name": "hasil", "persistentVolumeClaim": {"claimName": claim}}]
        images.add(pod["containers"][0]["image"])
    assert len(images) == 1
    spec = shard["spec"]
    assert spec["completionMode"] == "Indexed"
    assert spec["completions"] == spec["parallelism"] == SHIPPED_SHARDS
    assert f"--shard-count {SHIPPED_SHARDS}" in _script(shard)
    assert f"seq {SHIPPED_SHARDS})" in _script(portal)


def _lowered(script: str, shards: int) -> str:
    for old in (f"--shard-count {SHIPPED_SHARDS}", f"seq {SHIPPED_SHARDS})"):
        script = script.replace(old, old.replace(str(SHIPPED_SHARDS), str(shards)))
    return script


def _pod(script: str, hasil: Path, **env: str) -> None:
    """One pod: its script with /hasil on the temp folder and the venv's `kelurahan` on PATH."""
    assert script.count("/hasil") >= 2
    bin_dir = str(Path(sys.executable).parent)
    clean = {k: v for k, v in os.environ.items()
             if k not in ("JOB_COMPLETION_INDEX", "CI_NODE_INDEX", "CI_NODE_TOTAL")}
    result = subprocess.run(["sh", "-ec", script.replace("/hasil", str(hasil))],
                            env={**clean, "PATH": f"{bin_dir}:{clean['PATH']}", **env},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_kubernetes_jobs_build_a_whole_site(content: Path, tmp_path: Path) -> None:
    hasil = tmp_path / "hasil"
    shutil.copytree(content, hasil / "konten" / "content")
    for index in range(2):
        _pod(_lowered(_script(_job("2-shard-job.yaml")), 2), hasil,
             JOB_COMPLETION_INDEX=str(index))
    assert (hasil / "shard-1" / SHARD_SUMMARIES).is_file()
    assert (hasil / "shard-2" / SHARD_SUMMARIES).is_file()
    _pod(_lowered(_script(_job("3-portal-job.yaml")), 2), hasil)
    site = hasil / "site"
    assert sorted(p.name for p in site.iterdir()) == ["404.html", "feed.xml", "index.html",
                                                     "robots.txt", "sukamaju"]
    assert (site / "sukamaju" / "whatsapp" / "menu.json").is_file()
    assert 'href="sukamaju/"' in (site / "index.html").read_text("utf-8")


def test_the_github_matrix_builds_every_shard_then_the_portal() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    shard, portal = workflow["jobs"]["shard"], workflow["jobs"]["portal"]
    matrix = shard["strategy"]["matrix"]["shard"]
    count = int(workflow["env"]["SHARDS"])
    assert matrix == list(range(1, count + 1))
    runs = [step["run"] for step in shard["steps"] if "run" in step]
    assert any(re.search(r'kelurahan build .*--shard "\$\{\{ matrix.shard \}\}/\$SHARDS"', run)
               for run in runs)
    cache = next(step for step in shard["steps"] if step.get("uses", "").startswith("actions/cache"))
    assert f"-of-{count}-" in cache["with"]["key"]
    assert portal["needs"] == "shard"
    download = next(s for s in portal["steps"] if s.get("uses", "").startswith(
        "actions/download-artifact"))
    merge = next(s["run"] for s in portal["steps"] if "--portal-only" in s.get("run", ""))
    assert f"--summaries {download['with']['path']}" in merge
