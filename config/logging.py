"""Logs: one JSON object per line in production, readable lines in development.

Every line carries the request it was written under (`request_id`) and the
logged-in user's id (`user_id`), taken from context variables that
`RequestContextMiddleware` sets for the duration of a request. Never a name,
username or national identity number: the user is an id, the request line is
method, path (never the query string, which carries searches by name) and
status. Whoever writes a log message is responsible for its text; the
formatter adds nothing from `extra=` on purpose (Django's own loggers pass the
request object and SQL parameters there).

The JSON formatter is our own ~20 lines rather than python-json-logger: that
package serialises every `extra` attribute by default, which is exactly where
personal data would slip in, and a whitelist of six keys is all we need.
"""

import contextvars
import json
import logging
import logging.config
import re
import time
import uuid
from datetime import UTC, datetime

from django.utils.functional import LazyObject, empty

# The request in progress in this thread (or task): its id, and its user once loaded.
_current_request = contextvars.ContextVar("iop_log_request", default=None)

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is taken only if it looks like one (nginx's $request_id, a UUID, ...):
# no spaces, quotes or control characters, and not absurdly long.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
# The request line shows at most this much of the path.
MAX_PATH = 300
# Answered by the health checks every few seconds: logged only when they fail.
QUIET_URL_NAMES = {"health", "health_db"}

request_logger = logging.getLogger("iop.request")


# --- Context ------------------------------------------------------------------------------------


def request_id_of(request) -> str | None:
    return getattr(request, "request_id", None)


def user_id_of(request) -> int | None:
    """The id of the request's user, if the request has already loaded it.

    Never loads it: that would cost a session and a user query on requests that
    need neither (the health checks), and could recurse from inside a database
    log record. `request.user` is Django's lazy object until something reads it,
    or the real user once `login()` has set it.
    """
    user = getattr(request, "__dict__", {}).get("user")
    if isinstance(user, LazyObject):
        user = user.__dict__.get("_wrapped", empty)
        if user is empty:
            return None
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `user_id` to every record that passes a handler.

    The request is the one in progress, or the one Django names in the record: it logs
    a 4xx response (`django.request`) after the whole middleware chain has returned.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = _current_request.get()
        if request is None and request_id_of(getattr(record, "request", None)):
            request = record.request
        record.request_id = request_id_of(request)
        record.user_id = user_id_of(request)
        return True


# --- Formatters ---------------------------------------------------------------------------------


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with a fixed set of keys (see the module docstring)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # json.dumps escapes newlines, so a message or traceback never breaks the line.
        return json.dumps(entry, ensure_ascii=False, default=str)


class ConsoleFormatter(logging.Formatter):
    """Development: `12:00:01 WARNING django.request [3f2a9c1e] Not Found: /x/`."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(short_request_id)s] %(message)s", "%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        record.short_request_id = request_id[:8] if request_id else "-"
        return super().format(record)


# --- Middleware ---------------------------------------------------------------------------------


def incoming_request_id(request) -> str | None:
    raw = request.headers.get(REQUEST_ID_HEADER, "")
    return raw if SANE_REQUEST_ID.fullmatch(raw) else None


class RequestContextMiddleware:
    """Gives each request an id (or keeps a sane one from the proxy), logs one line per request.

    First in MIDDLEWARE, so redirects to HTTPS and static files get an id and a line too.
    The id goes back in the X-Request-ID response header, for a user reporting a problem.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = incoming_request_id(request) or uuid.uuid4().hex
        token = _current_request.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.request_id
            self.log(request, response, time.perf_counter() - started)
            return response
        finally:
            _current_request.reset(token)

    @staticmethod
    def log(request, response, seconds: float) -> None:
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name in QUIET_URL_NAMES and response.status_code < 400:
            return
        path = request.path
        if len(path) > MAX_PATH:
            path = path[:MAX_PATH] + "…"
        request_logger.info("%s %s %s %.0fms", request.method, path, response.status_code, seconds * 1000)


# --- Third parties ------------------------------------------------------------------------------


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """What django-axes writes in its log lines about a login attempt: the address, never the username."""
    return f"{{ip_address: {ip_address!r}}}"


# --- The LOGGING setting ------------------------------------------------------------------------


def configure(config: dict) -> None:
    """settings.LOGGING_CONFIG: the dict, and in production Python's warnings as log lines too
    (a RuntimeWarning about a naive datetime would otherwise be the one plain line in the stream)."""
    logging.config.dictConfig(config)
    production = config.get("formatters", {}).get("main", {}).get("()") is JsonFormatter
    logging.captureWarnings(production)


def logging_config(*, debug: bool, level: str = "INFO") -> dict:
    """settings.LOGGING: JSON lines in production, readable lines in development, each line once."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": RequestContextFilter}},
        "formatters": {"main": {"()": ConsoleFormatter if debug else JsonFormatter}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "main", "filters": ["request_context"]},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's defaults give `django` a console handler of its own (under DEBUG) and an
            # e-mail one; the root handler would print each of its lines a second time. NOTSET:
            # LOG_LEVEL decides for django.* too.
            "django": {"handlers": [], "level": "NOTSET", "propagate": True},
            # runserver prints every request itself (django.server); our request line would repeat it.
            "iop.request": {"level": "WARNING" if debug else "NOTSET"},
            # django-axes logs every successful login and its clean-ups at INFO (the access log
            # has the logins); its warnings (failures, lockouts) stay.
            "axes": {"level": "WARNING"},
            # WeasyPrint logs every layout step at INFO; its warnings (refused resources) stay.
            "weasyprint.progress": {"level": "WARNING"},
        },
    }
