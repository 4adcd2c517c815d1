"""The lock files agree with pyproject.toml, so `make run` and `make test` install what the code asks for.

When one of these fails, a dependency changed in pyproject.toml without `make lock`: run it and commit
requirements.lock and requirements-dev.lock.
"""

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"


def _pyproject() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]  # type: ignore[no-any-return]


def _requirements(*extras: str) -> list[Requirement]:
    project = _pyproject()
    lines = list(project["dependencies"])  # type: ignore[call-overload]
    optional = project["optional-dependencies"]
    for extra in extras:
        lines += optional[extra]  # type: ignore[index]
    return [Requirement(line) for line in lines]


def _pins(lock: Path) -> dict[str, str]:
    """Package name -> pinned version, from a pip-compile file (`name==version \\` lines)."""
    pins: dict[str, str] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            name, version = line.split("==", 1)
            pins[canonicalize_name(name)] = version.split()[0].rstrip("\\").strip()
    return pins


@pytest.mark.parametrize(
    ("lock", "extras"),
    [(RUNTIME_LOCK, ("postgres",)), (DEV_LOCK, ("postgres", "dev"))],
    ids=["runtime", "dev"],
)
def test_every_dependency_is_pinned_within_its_range(lock: Path, extras: tuple[str, ...]) -> None:
    pins = _pins(lock)
    problems = []
    for requirement in _requirements(*extras):
        pinned = pins.get(canonicalize_name(requirement.name))
        if pinned is None:
            problems.append(f"{requirement.name} is missing")
        elif not requirement.specifier.contains(pinned, prereleases=True):
            problems.append(f"{requirement.name}=={pinned} is outside {requirement.specifier}")
    assert not problems, f"{lock.name} is out of date ({'; '.join(problems)}): run `make lock`"


def test_runtime_set_is_free_of_development_tools() -> None:
    runtime = _pins(RUNTIME_LOCK)
    for tool in ("pytest", "ruff", "mypy"):
        assert tool not in runtime


def test_the_dev_set_installs_the_same_runtime_versions() -> None:
    runtime, dev = _pins(RUNTIME_LOCK), _pins(DEV_LOCK)
    differing = {
        name: (version, dev.get(name)) for name, version in runtime.items() if dev.get(name) != version
    }
    assert not differing, (
        f"requirements-dev.lock differs from requirements.lock: {differing}; run `make lock`"
    )


@pytest.mark.parametrize("lock", [RUNTIME_LOCK, DEV_LOCK], ids=["runtime", "dev"])
def test_every_pin_has_hashes_and_the_lock_is_for_python_3_11(lock: Path) -> None:
    text = lock.read_text(encoding="utf-8")
    assert "with Python 3.11" in text
    assert text.count("==") == len(_pins(lock)) > 0
    assert all(block.count("--hash=sha256:") for block in text.split("==")[1:])
