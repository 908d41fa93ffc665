from flask import Blueprint

bp = Blueprint("la_settings", __name__, url_prefix="/settings")
