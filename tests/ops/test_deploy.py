"""The deployment files agree with the code and with each other, so they do not rot unnoticed.

No container engine runs in CI, so these read the files: the image installs the runtime lock and checks
itself with ``securebase health``; compose, Prometheus and Grafana point at the same port and dashboard;
every setting is documented in ``.env.example``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from bot.app.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, dict[str, object]]:
    document = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services: dict[str, dict[str, object]] = document["services"]
    return services


def test_the_image_is_slim_unprivileged_locked_and_checks_its_health() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.findall(r"^FROM (\S+)", dockerfile, re.MULTILINE) == ["python:3.11-slim", "python:3.11-slim"]
    assert "--require-hashes -r /src/requirements.lock" in dockerfile
    assert "requirements-dev.lock" not in dockerfile
    assert re.search(r"^USER securebase$", dockerfile, re.MULTILINE)
    assert re.search(r'^HEALTHCHECK .*CMD \["securebase", "health"\]$', dockerfile, re.MULTILINE)
    assert re.search(r'^CMD \["securebase", "run"\]$', dockerfile, re.MULTILINE)


def test_the_image_copies_every_package_and_the_context_allows_them() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    copied = {Path(source).name for source in re.findall(r"^COPY (\S+) /src/\S+$", dockerfile, re.MULTILINE)}
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    assert {name.rstrip("*") for name in packages["include"]} <= copied
    allowed = {
        line.strip("!/") for line in (ROOT / ".dockerignore").read_text().splitlines() if line.startswith("!")
    }
    sources = set(re.findall(r"^COPY (?!--from)(.+) /src/", dockerfile, re.MULTILINE))
    for line in sources:
        for source in line.split():
            assert Path(source).name in allowed, f"{source} is copied but .dockerignore leaves it out"
            assert (ROOT / source).exists()
    assert ".env" not in allowed


def test_compose_runs_the_bot_on_postgresql_with_restarts_and_a_volume() -> None:
    services = _compose()
    bot, db = services["bot"], services["db"]
    assert db["image"] == "postgres:16"
    assert db["volumes"] == ["postgres-data:/var/lib/postgresql/data"]
    assert bot["env_file"] == ".env"
    assert bot["restart"] == db["restart"] == "unless-stopped"
    assert bot["depends_on"] == {"db": {"condition": "service_healthy"}}
    environment = bot["environment"]
    assert isinstance(environment, dict)
    assert environment["DATABASE_URL"].startswith("postgresql://securebase:${POSTGRES_PASSWORD:?")
    assert "profiles" not in bot
    assert "profiles" not in db


def test_monitoring_scrapes_the_bots_metrics_port_and_shows_the_dashboard() -> None:
    services = _compose()
    port = services["bot"]["environment"]["METRICS_PORT"]  # type: ignore[index]
    prometheus = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text())
    targets = [t for job in prometheus["scrape_configs"] for c in job["static_configs"] for t in c["targets"]]
    assert targets == [f"bot:{port}"]
    for name in ("prometheus", "grafana"):
        assert services[name]["profiles"] == ["monitoring"]
        assert all(p.startswith("127.0.0.1:") for p in services[name]["ports"])  # type: ignore[attr-defined]
    datasource = yaml.safe_load((ROOT / "deploy/grafana/provisioning/datasources/prometheus.yml").read_text())
    dashboard = (ROOT / "deploy/grafana/dashboards/securebase.json").read_text()
    assert f'"uid": "{datasource["datasources"][0]["uid"]}"' in dashboard


def test_the_systemd_unit_runs_the_bot_after_migrating() -> None:
    unit = (ROOT / "deploy/securebase.service").read_text()
    assert "ExecStartPre=/opt/securebase/.venv/bin/securebase db upgrade" in unit
    assert "ExecStart=/opt/securebase/.venv/bin/securebase run" in unit
    assert "User=securebase" in unit
    assert "Restart=on-failure" in unit


def test_every_setting_is_in_env_example() -> None:
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    settings = {name.upper() for name in Settings.model_fields}
    assert settings <= documented, f"missing from .env.example: {settings - documented}"
