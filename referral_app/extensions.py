"""Extension objects, created unbound and bound to an app in `create_app`."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from govuk_frontend_wtf.main import WTFormsHelpers
from htmx_flask import Htmx

babel = Babel()
csrf = CSRFProtect()
htmx = Htmx()
login_manager = LoginManager()
wtforms_helpers = WTFormsHelpers()
# Limits are declared on the views that need them; storage comes from RATELIMIT_STORAGE_URI (memory or Redis).
limiter = Limiter(key_func=get_remote_address)
