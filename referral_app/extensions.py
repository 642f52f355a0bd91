"""Extension objects, created unbound and bound to an app in `create_app`."""

from flask import Flask, Response, g
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from govuk_frontend_wtf.main import WTFormsHelpers
from htmx_flask import Htmx

from referral_app import page_cache

babel = Babel()
csrf = CSRFProtect()
htmx = Htmx()
login_manager = LoginManager()
wtforms_helpers = WTFormsHelpers()
# Limits are declared on the views that need them; storage comes from RATELIMIT_STORAGE_URI (memory or Redis).
limiter = Limiter(key_func=get_remote_address)


# Responses are compressed with brotli, or gzip for a browser without it. Pages are compressed as they are made, at
# moderate levels: a 40 KB search page costs about 0.5 ms at brotli 4 (0.2 ms for 13 KB) and comes out under a
# quarter of its size; brotli 5 would save 5% more for 40% more time. Static files come precompressed at the
# highest levels from referral_app/static_files.py. Streams (files sent by `send_file`, such as BSL videos, and
# their byte ranges) pass through untouched: video is compressed already. Not tiny answers: the headers would weigh
# more than what was saved.
COMPRESSED_TYPES = (
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "image/svg+xml",
)
COMPRESSION_MIN_SIZE = 500  # bytes


class Compression(Compress):
    """Flask-Compress with the settings above (each may be changed in the app's config)."""

    def init_app(self, app: Flask) -> None:
        app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
        app.config.setdefault("COMPRESS_BR_LEVEL", 4)
        app.config.setdefault("COMPRESS_LEVEL", 6)  # gzip
        app.config.setdefault("COMPRESS_MIMETYPES", list(COMPRESSED_TYPES))
        app.config.setdefault("COMPRESS_MIN_SIZE", COMPRESSION_MIN_SIZE)
        app.config.setdefault("COMPRESS_STREAMS", False)
        # Pages kept by page_cache are kept compressed too (only those: see page_cache.CompressedPages).
        app.config.setdefault("COMPRESS_CACHE_BACKEND", page_cache.CompressedPages)
        app.config.setdefault("COMPRESS_CACHE_KEY", page_cache.compressed_page_key)
        super().init_app(app)

    def after_request(self, response: Response | None) -> Response:
        """Error pages (404, 403, 429, 500...) are pages too: Flask-Compress leaves every status outside 200-299
        uncompressed (redirects, 304s and byte ranges must be), so they are compressed as if they were a 200."""
        if response is not None and response.status_code != 200:
            g.pop("page_cache_key", None)  # an error after the kept page was read is not that page
        if response is None or not 400 <= response.status_code < 600:
            return super().after_request(response)
        status = response.status
        response.status_code = 200
        try:
            return super().after_request(response)
        finally:
            response.status = status


compress = Compression()
