"""The Docker image's Python can install every pin, and every place naming the minimum agrees.

Runs scripts/check-python-pins (also run by .ci/run) against the venv `make test` installed:
the check that would have caught `python:3.12-slim` against numpy-financial 1.1.0
(Requires-Python >= 3.13) without a Docker engine.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "scripts" / "check-python-pins"


def run_check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CHECK), *args], capture_output=True, text=True, timeout=60)


def test_the_dockerfiles_python_satisfies_every_pin():
    result = run_check()

    assert result.returncode == 0, result.stderr
    assert "satisfies Requires-Python of all" in result.stdout


def test_a_python_312_image_is_refused_naming_the_pin_and_the_files_that_disagree(tmp_path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        (ROOT / "Dockerfile").read_text().replace("FROM python:3.13", "FROM python:3.12", 1), encoding="utf-8"
    )

    result = run_check("--dockerfile", str(dockerfile))

    assert result.returncode == 1
    assert "numpy-financial==1.1.0 requires Python >=3.13" in result.stderr
    assert "scripts/find-python: accepts Python >= 3.13, the Dockerfile's image is 3.12" in result.stderr
    assert "ruff target-version is 'py313', not 'py312'" in result.stderr


def test_a_dockerfile_without_a_python_version_is_refused(tmp_path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:latest\n", encoding="utf-8")

    result = run_check("--dockerfile", str(dockerfile))

    assert result.returncode == 1
    assert "no `FROM python:X.Y...` line" in result.stderr
