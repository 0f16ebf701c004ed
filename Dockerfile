FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# WeasyPrint renders through Pango.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

# The locked runtime dependencies (requirements/base.txt, `make lock`): exact versions, and
# every downloaded file checked against its hash. Its own layer, rebuilt only when the lock changes.
COPY requirements/base.txt requirements/base.txt
RUN pip install --require-hashes -r requirements/base.txt

# The project itself, with nothing more: its dependencies and build backend are all in the lock.
COPY pyproject.toml README.md ./
COPY config config
COPY demo demo
COPY iop iop
COPY accounts accounts
COPY applications applications
COPY documents documents
COPY audit audit
RUN pip install --no-deps --no-build-isolation . && pip check

COPY . .
# collectstatic needs settings; these throwaway values never reach runtime.
RUN DEBUG=False SECRET_KEY=collectstatic-only-0000000000000000000000000000000000000000 ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 1000 iop && mkdir -p /app/media && chown iop /app/media
USER iop
EXPOSE 8000

# The app answers (no database): `python -m config.health` is the probe (the slim image has no curl).
# docker-compose.yml checks /helse/db/ instead, the database included.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-m", "config.health", "/helse/"]

# Migrations are not run here: `docker compose up` runs them once in the `migrate` service
# (without Compose: `docker run --rm --env-file .env IMAGE python manage.py migrate --noinput`).
# Every request is logged by the app as a JSON line (config/logging.py), so no gunicorn access log.
# WEB_CONCURRENCY sets the number of gunicorn workers.
ENV WEB_CONCURRENCY=3
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000"]
