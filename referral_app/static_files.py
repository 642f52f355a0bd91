"""Static files: addresses that carry a fingerprint, a year's caching, compressed copies made once, no session.

Fingerprints. `url_for('static', filename=...)` adds `?v=` and the first 12 hex digits of the SHA-256 of the file
(an `app.url_defaults` hook; the hashes are computed once, when the app starts). A request with the current
fingerprint is answered `Cache-Control: public, max-age=31536000, immutable`: browsers and proxies keep the file for
a year without asking again, and a release that changes it changes its address. Without a fingerprint, or with an
old one (a page saved before a release), the current file is sent with a short max-age, so that it is never kept
long under an address that names another version. Vendored files, whose names carry their version, are treated
the same way.

JavaScript modules import one another by relative addresses (app.mjs -> results-map.mjs -> map-loader.mjs ->
Leaflet), which `url_for` never sees. As Django's ManifestStaticFilesStorage does for its static files, the relative
addresses in our modules' `import ... from '...'`, `import('...')` and `new URL('...', import.meta.url)` are given
their target's fingerprint when the module is read, and a module's own fingerprint is the hash of that rewritten
text: a change to map-loader.mjs changes the addresses of results-map.mjs and app.mjs too, so a browser can never
mix a cached old module with a new one. Pages stay free of inline script (the Content-Security-Policy forbids it).

Compression. CSS, JavaScript, SVG and JSON files are sent with brotli or gzip from copies compressed at the highest
level the first time each is asked for, kept in this process's memory (the largest, Leaflet, takes about 0.2 s once;
the others much less). Pages are compressed as they are made, at a moderate level, by Flask-Compress
(extensions.py). Its own cache does not fit files: it applies to every response, pages included, keyed by the
request alone, at the one level set for pages, and it never caches a file sent by `send_file` (a stream, which it
would compress again on every request).

Libraries considered: Flask-Static-Digest writes hashed copies into static/ in a build step and has its own
`static_url_for`, and rewrites no module imports; WhiteNoise serves precompressed files, but takes its fingerprints
from Django's storage and cannot tell a current fingerprint in a query string from an old one. What is left is this
module: a table of hashes, a rewrite of relative module addresses, and the view that sends a file.

Static files never read or write the session: without this, Flask-Login's after-request hook reads it on every
response, so Flask adds `Vary: Cookie`, and a shared cache would keep one copy of each file per visitor.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import brotli
from flask import Flask, Request, Response, current_app, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

from referral_app.extensions import COMPRESSED_TYPES, COMPRESSION_MIN_SIZE

EXTENSION = "static_files"
FINGERPRINT = "v"  # the query parameter
FINGERPRINT_LENGTH = 12
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
ENCODINGS = ("br", "gzip")  # in order of preference, when a browser accepts both equally
MODULES = (".mjs",)  # our own ES modules, whose relative imports get fingerprints; vendored files are left as they are
_DATA_URL_SAFE = "/:=,.;()'!*-_~"  # what a data: address may hold as it is (not a space, `"`, `#`, `%`, `<`, `>`)
# A relative address in quotes after `from`, `import(` or `new URL(`: the forms our modules use.
_RELATIVE_ADDRESS = re.compile(r"""(\bfrom\s*|\bimport\s*\(\s*|\bnew\s+URL\(\s*)(['"])(\.{1,2}/[^'"?#\s]+)\2""")


@dataclass
class StaticFile:
    name: str  # its path under static/, with forward slashes
    fingerprint: str
    mimetype: str
    body: bytes | None  # as sent (a module with its imports fingerprinted); None: sent from the disk, as it is
    _encoded: dict[str, bytes] = field(default_factory=dict, repr=False)

    def encoded(self, encoding: str) -> bytes:
        """The body compressed with `encoding` ("br" or "gzip"), made on the first call and kept."""
        if encoding not in self._encoded:
            assert self.body is not None
            if encoding == "br":
                self._encoded[encoding] = brotli.compress(self.body, quality=11)
            else:
                self._encoded[encoding] = gzip.compress(self.body, compresslevel=9, mtime=0)
        return self._encoded[encoding]


def _mimetype(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def scan(folder: Path) -> dict[str, StaticFile]:
    """Every file under `folder`, fingerprinted; the text of the compressible ones kept in memory."""
    paths = {path.relative_to(folder).as_posix(): path for path in sorted(folder.rglob("*")) if path.is_file()}
    found: dict[str, StaticFile] = {}

    def fingerprinted(name: str, importers: tuple[str, ...]) -> StaticFile:
        if name in found:
            return found[name]
        if name in importers:
            raise ValueError(f"static/{name} imports itself through {' -> '.join(importers)}: give it no fingerprint")
        mimetype = _mimetype(name)
        if mimetype not in COMPRESSED_TYPES and not name.endswith(MODULES):
            with paths[name].open("rb") as file:
                digest = hashlib.file_digest(file, "sha256").hexdigest()
            found[name] = StaticFile(name, digest[:FINGERPRINT_LENGTH], mimetype, None)
            return found[name]
        body = paths[name].read_bytes()
        if name.endswith(MODULES):

            def with_fingerprint(match: re.Match) -> str:
                before, mark, address = match.groups()
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), address))
                if target not in paths:
                    return match.group(0)  # not one of our files: the browser will say so
                fingerprint = fingerprinted(target, (*importers, name)).fingerprint
                return f"{before}{mark}{address}?{FINGERPRINT}={fingerprint}{mark}"

            body = _RELATIVE_ADDRESS.sub(with_fingerprint, body.decode("utf-8")).encode("utf-8")
        digest = hashlib.sha256(body).hexdigest()
        found[name] = StaticFile(name, digest[:FINGERPRINT_LENGTH], mimetype, body)
        return found[name]

    for name in paths:
        fingerprinted(name, ())
    return found


class StaticFiles:
    """The static folder's files and their fingerprints, read once (again when `refresh` sees a change)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files = scan(folder)
        self._stamp = self._stamps()

    def _stamps(self) -> tuple:
        paths = sorted(self.folder.rglob("*"))
        return tuple((path, (found := path.stat()).st_mtime_ns, found.st_size) for path in paths)

    def refresh(self) -> None:
        """Read everything again if a file changed, was added or went (for a developer's server)."""
        stamp = self._stamps()
        if stamp != self._stamp:
            self.files, self._stamp = scan(self.folder), stamp

    def fingerprint(self, name: str) -> str | None:
        found = self.files.get(name)
        return found.fingerprint if found else None


def add_fingerprint(endpoint: str, values: dict) -> None:
    """`url_for('static', filename=...)` gets `?v=<fingerprint>` (an `app.url_defaults` hook)."""
    if endpoint == "static" and FINGERPRINT not in values:
        fingerprint = current_app.extensions[EXTENSION].fingerprint(values.get("filename", ""))
        if fingerprint:
            values[FINGERPRINT] = fingerprint


def send_static_file(filename: str) -> Response:
    """The view of Flask's `static` endpoint: compressed copies from memory, caching by fingerprint."""
    files: StaticFiles = current_app.extensions[EXTENSION]
    if current_app.debug:
        files.refresh()
    found = files.files.get(filename)
    if found is None or found.body is None:
        # Images and the like, and a file added since the start: Flask's own sending (304s, byte ranges, 404).
        response = current_app.send_static_file(filename)
        response.headers.pop("Content-Disposition", None)  # "inline; filename=...": says nothing here
    else:
        accepted = len(found.body) >= COMPRESSION_MIN_SIZE and request.accept_encodings.best_match(ENCODINGS)
        encoding = accepted if accepted in ENCODINGS else None
        response = current_app.response_class(found.encoded(encoding) if encoding else found.body)
        response.mimetype = found.mimetype
        if encoding:
            response.headers["Content-Encoding"] = encoding
        response.set_etag(f"{found.fingerprint}-{encoding}" if encoding else found.fingerprint)
        response.vary.add("Accept-Encoding")
        response.make_conditional(request)  # 304 for a copy the browser has
    current = found is not None and request.args.get(FINGERPRINT) == found.fingerprint
    response.headers["Cache-Control"] = IMMUTABLE if current else SHORT
    return response


def data_url(filename: str) -> str:
    """A small text file of static/ as a `data:` address, for a page to carry instead of asking for it: the favicon
    weighs 225 bytes, and the headers of a request for it 1 KB."""
    found = current_app.extensions[EXTENSION].files.get(filename)
    if found is None or found.body is None:
        raise ValueError(f"static/{filename} is not a text file that can be inlined")
    return f"data:{found.mimetype},{quote(found.body, safe=_DATA_URL_SAFE)}"


def _is_static(app: Flask, request: Request) -> bool:
    return app.static_url_path is not None and request.path.startswith(f"{app.static_url_path}/")


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, except that a request for a static file gets an empty session that is never
    saved: its answer neither reads the cookie (no `Vary: Cookie`) nor sets one."""

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        if _is_static(app, request):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if not _is_static(app, request):
            super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    if app.static_folder is None:
        return
    app.extensions[EXTENSION] = StaticFiles(Path(app.static_folder))
    app.view_functions["static"] = send_static_file
    app.url_defaults(add_fingerprint)
    app.jinja_env.globals["static_data_url"] = data_url
    app.session_interface = SessionInterface()
