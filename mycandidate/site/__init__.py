from flask import Blueprint

bp = Blueprint(
    "site", __name__, template_folder="templates", static_folder="static", static_url_path="/static"
)

from mycandidate.site import views  # noqa: E402,F401  (registers the views on bp)
