FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# WeasyPrint renders through Pango.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md ./
COPY config config
COPY demo demo
COPY iop iop
COPY accounts accounts
COPY applications applications
COPY documents documents
COPY audit audit
RUN pip install .

COPY . .
# collectstatic needs settings; these throwaway values never reach runtime.
RUN DEBUG=False SECRET_KEY=collectstatic-only-0000000000000000000000000000000000000000 ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 1000 iop && mkdir -p /app/media && chown iop /app/media
USER iop
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && gunicorn config.wsgi --bind 0.0.0.0:8000 --workers 3 --access-logfile -"]
