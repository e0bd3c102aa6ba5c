"""The GitHub workflows: valid against the workflow schema (check-jsonschema's bundled copy, offline), and doing what the README says."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from talentgap import paths

WORKFLOWS = paths.ROOT / ".github" / "workflows"
CHECKER = Path(sys.executable).parent / "check-jsonschema"
OFFLINE = {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
           "http_proxy": "http://127.0.0.1:9", "NO_PROXY": "", "no_proxy": ""}

needs_checker = pytest.mark.skipif(not CHECKER.exists(), reason="check-jsonschema not installed (pip install -e '.[test]')")


def check(*files: Path) -> subprocess.CompletedProcess:
    # NOTE: every proxy points at a closed port: the check must use the schema bundled in the package.
    return subprocess.run([str(CHECKER), "--builtin-schema", "vendor.github-workflows", *map(str, files)],
                          capture_output=True, text=True, env={**os.environ, **OFFLINE}, timeout=120)


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


@needs_checker
def test_the_three_workflows_pass_the_workflow_schema_offline():
    files = [WORKFLOWS / n for n in ("ci.yml", "publish.yml", "update.yml")]
    done = check(*files)
    assert done.returncode == 0, done.stdout + done.stderr


@needs_checker
def test_the_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = load("ci.yml")
    broken["jobs"]["test"]["runs_on"] = broken["jobs"]["test"].pop("runs-on")  # a misspelt key
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(broken))
    done = check(path)
    assert done.returncode != 0 and "runs_on" in done.stdout + done.stderr


def _runs(workflow: dict) -> str:
    return "\n".join(s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"])


def _uses(workflow: dict) -> list[str]:
    return [s["uses"] for job in workflow["jobs"].values() for s in job["steps"] if "uses" in s]


def test_ci_runs_the_ci_script_with_the_publishers_files_in_place():
    ci = load("ci.yml")
    assert ".ci/run" in _runs(ci)
    assert "talentgap fetch --files ../shared/upstream/files" in _runs(ci)


def test_publish_renders_with_quarto_deploys_pages_and_attaches_release_files_on_tags():
    pub = load("publish.yml")
    on = pub[True] if True in pub else pub["on"]  # YAML 1.1 reads the key `on` as true
    assert "v*" in on["push"]["tags"]
    uses = _uses(pub)
    assert any(u.startswith("quarto-dev/quarto-actions/setup@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert "make report" in _runs(pub)
    upload = next(s for s in pub["jobs"]["site"]["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "report/_site"
    assert pub["jobs"]["release"]["if"].startswith("startsWith(github.ref, 'refs/tags/v')")
    assert "gh release create" in _runs(pub) and "data/release/*" in _runs(pub)


def test_update_runs_monthly_and_opens_a_pull_request_with_the_diff():
    up = load("update.yml")
    on = up[True] if True in up else up["on"]
    cron = on["schedule"][0]["cron"].split()
    assert cron[2] != "*" and cron[3:] == ["*", "*"]  # one day of every month
    runs = _runs(up)
    assert "make update" in runs and "talentgap diff git:HEAD data/release --format markdown" in runs
    assert "gh pr create" in runs


def test_the_quarto_config_runs_the_post_render_step():
    config = yaml.safe_load((paths.ROOT / "report" / "_quarto.yml").read_text())
    assert config["project"]["post-render"] == ["_postrender.py"]
    assert (paths.ROOT / "report" / "_postrender.py").is_file()


@pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")
@pytest.mark.parametrize("target, steps", [
    ("refresh", ["talentgap fetch", "talentgap refresh"]),
    ("update", ["talentgap update", "talentgap fetch", "talentgap refresh", "talentgap build", "talentgap verify"]),
    ("release-notes", ["talentgap diff git:v0.2.0 data/release --format markdown --summary"]),
])
def test_make_targets_run_their_steps_in_order(target, steps):
    done = subprocess.run(["make", "-n", target, "PYTHON=true"], cwd=paths.ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    positions = [next(i for i, line in enumerate(lines) if step in line) for step in steps]
    assert positions == sorted(positions)
