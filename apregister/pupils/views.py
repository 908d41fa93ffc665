from flask import Blueprint

bp = Blueprint("pupils", __name__, url_prefix="/pupils")
