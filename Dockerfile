# The archive's web image: gunicorn behind whatever TLS proxy the deployment uses. The same image
# runs migrations and the single search-index writer (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DATA_DIR=/data \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Static files are part of the image (hashed names, compressed); start-web.sh collects them
# again at start, which is quick and covers an image run with a different STATIC_ROOT. The key
# below exists only for this build step.
RUN DEBUG=0 SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    python manage.py collectstatic --noinput --verbosity 0
RUN useradd --system --home /app archive \
    && mkdir -p /data \
    && chown -R archive /data /app/staticfiles
USER archive
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "scripts/healthcheck.py"]
CMD ["sh", "scripts/start-web.sh"]
