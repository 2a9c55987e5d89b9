"""The lock files under requirements/ agree with pyproject.toml's ranges.

bin/lock writes them; a dependency added to pyproject.toml without running it
would be missing on every fresh install, so this fails first.
"""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PINNED = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^ ;\\]+)", flags=re.MULTILINE)


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def locked(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / f"{name}.txt").read_text(encoding="utf-8")
    return {canonicalize_name(m[1]): m[2] for m in PINNED.finditer(text)}


def direct_requirements(lock: str) -> list[Requirement]:
    project = pyproject()["project"]
    lines = list(project["dependencies"])
    if lock == "test":
        lines += project["optional-dependencies"]["test"]
    return [Requirement(line) for line in lines]


@pytest.mark.parametrize("lock", ["production", "test"])
def test_every_direct_dependency_is_locked_within_its_range(lock: str) -> None:
    pins = locked(lock)
    for requirement in direct_requirements(lock):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in requirements/{lock}.txt: run bin/lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements/{lock}.txt pins {name}=={pins[name]}, outside {requirement.specifier}"
        )


def test_every_pin_has_a_hash() -> None:
    for lock in ("production", "test"):
        text = (ROOT / "requirements" / f"{lock}.txt").read_text(encoding="utf-8")
        for block in re.split(r"\n(?=[A-Za-z0-9])", text):
            if PINNED.match(block):
                assert "--hash=sha256:" in block, f"{lock}: {block.splitlines()[0]} has no hash"


def test_the_server_runs_the_versions_that_were_tested() -> None:
    production, test = locked("production"), locked("test")
    assert production.keys() <= test.keys()
    assert {name: test[name] for name in production} == production
