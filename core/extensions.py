"""Flask extensions shared by every app the factory builds (each bound per app)."""

from flask_appbuilder.utils.legacy import get_sqla_class
from flask_mail import Mail
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

db = get_sqla_class()()
mail = Mail()
migrate = Migrate()
csrf = CSRFProtect()
