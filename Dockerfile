FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=cco.settings.production
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# A throwaway key: production settings refuse weak ones, and collectstatic signs nothing.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 python manage.py collectstatic --noinput -v0
EXPOSE 8000
CMD ["gunicorn", "cco.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--no-control-socket"]
