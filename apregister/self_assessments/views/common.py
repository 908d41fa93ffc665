"""What the self-assessment pages share: the way back to one, and its areas."""

from __future__ import annotations

from flask import redirect, url_for
from werkzeug.wrappers import Response

from apregister.models import SelfAssessment, SelfAssessmentVersion
from apregister.self_assessments.forms import AreaRef


def _back_to(assessment: SelfAssessment) -> Response:
    return redirect(url_for(".show_self_assessment", self_assessment_id=assessment.id))


def _areas(version: SelfAssessmentVersion) -> list[AreaRef]:
    return [AreaRef(entry.area_key, entry.area_name) for entry in version.entries]
