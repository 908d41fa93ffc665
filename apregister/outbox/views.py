from flask import Blueprint

bp = Blueprint("outbox", __name__, url_prefix="/outbox")
