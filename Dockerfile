# Secure Base: the bot in a slim image, runtime dependencies only, pinned and hashed by requirements.lock.
#   docker build -t securebase .
#   docker run --env-file .env -v securebase-data:/app/data securebase          (SQLite in a volume)
# docker-compose.yml runs it with PostgreSQL; the README's "Deploy" section has the steps.

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/securebase
# The lock first, so a code change reuses the dependency layer.
COPY requirements.lock /src/requirements.lock
RUN /opt/securebase/bin/pip install --require-hashes -r /src/requirements.lock
COPY pyproject.toml README.md LICENSE /src/
COPY bot /src/bot
COPY db /src/db
COPY content /src/content
COPY migrations /src/migrations
RUN /opt/securebase/bin/pip install --no-deps /src && /opt/securebase/bin/pip check

FROM python:3.11-slim
ENV PATH=/opt/securebase/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN groupadd --system --gid 10001 securebase \
    && useradd --system --uid 10001 --gid securebase --home-dir /app --create-home --shell /usr/sbin/nologin securebase \
    && install -d -o securebase -g securebase -m 0700 /app/data
COPY --from=build /opt/securebase /opt/securebase
WORKDIR /app
USER securebase
# The default DATABASE_URL is sqlite:///data/securebase.db, that is /app/data: mount a volume there for SQLite.
# METRICS_PORT (off unless set) serves Prometheus metrics; webhook mode listens on WEBHOOK_PORT.
EXPOSE 8443 9100
# Database reachable, schema at head, token accepted (getMe): exit status 0 or 1, one line each.
HEALTHCHECK --interval=60s --timeout=20s --start-period=60s --retries=3 CMD ["securebase", "health"]
CMD ["securebase", "run"]
