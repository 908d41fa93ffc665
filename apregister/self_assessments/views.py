from flask import Blueprint

bp = Blueprint("self_assessments", __name__, url_prefix="/self-assessments")
