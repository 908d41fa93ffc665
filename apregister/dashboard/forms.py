"""The dashboard's filters and the la_lead's KPI settings form."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import DecimalField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import Length, ValidationError

from apregister.dashboard import rules
from apregister.dashboard.kpis import KPIS, KpiDefinition
from apregister.forms import MAX_DECIMAL, DateInputField, FlaskForm, choices, int_or_zero, strip
from apregister.models import SchoolPhase
from apregister.templating import govuk_date

THIS_YEAR = "year"
THIS_TERM = "term"
PREVIOUS_YEARS = 5


class DashboardFilterForm(FlaskForm):
    """GET filters. Anything unknown falls back to the default, so a link never breaks."""

    class Meta:
        csrf = False

    period = SelectField("Period", widget=GovSelect(), validate_choice=False, default=THIS_YEAR)
    phase = SelectField("School phase", widget=GovSelect(), validate_choice=False)
    # a text box, enhanced into an autocomplete (organisation_filter): a large LA has 500
    # providers, too many to list; the id chosen travels beside the name
    provider = StringField("Provider")
    provider_id = HiddenField(filters=[int_or_zero])
    submit = SubmitField("Show figures", widget=GovSubmitInput())

    def __init__(self, *args, today: date, only_period: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.provider_choice = None  # set by presenter.filter_form from the typed name
        year_start = rules.academic_year_start(today)
        years = [
            (str(year), rules.academic_year_label(date(year, 9, 1)))
            for year in range(year_start.year - 1, year_start.year - PREVIOUS_YEARS - 1, -1)
        ]
        self.period.choices = choices(
            [
                (THIS_YEAR, f"This academic year ({rules.academic_year_label(year_start)})"),
                (THIS_TERM, f"This term (from {govuk_date(rules.term_start(today))})"),
            ]
            + years
        )
        if only_period:
            # The board chooses only the period: a phase or a provider set against the whole
            # would give away the small number between them (9 in all, 8 at secondary).
            del self.phase
            del self.provider
            del self.provider_id
            return
        self.phase.choices = choices(
            [("", "All phases")] + [(phase.value, phase.label) for phase in SchoolPhase]
        )

    def window(self) -> rules.Window:
        """The period chosen: point-in-time figures as at its end (today for the current
        year or term), period figures from its start."""
        value = self.period.data
        if value == THIS_TERM:
            return rules.Window(rules.term_start(self.today), self.today)
        year_start = rules.academic_year_start(self.today)
        offered = {str(year_start.year - back) for back in range(1, PREVIOUS_YEARS + 1)}
        if value in offered:
            start = date(int(value), 9, 1)
            return rules.Window(start, date(start.year + 1, 9, 1) - timedelta(days=1))
        return rules.Window(year_start, self.today)

    def period_label(self) -> str:
        wanted = self.period.data
        for choice in self.period.choices:
            if choice.value == wanted:
                return choice.label
        return self.period.choices[0].label

    def selected_phase(self) -> SchoolPhase | None:
        if "phase" not in self:
            return None
        try:
            return SchoolPhase(self.phase.data) if self.phase.data else None
        except ValueError:
            return None

    def selected_provider(self) -> int | None:
        if "provider" not in self or self.provider_choice is None:
            return None
        return self.provider_choice.id

    @property
    def is_filtered(self) -> bool:
        return self.selected_phase() is not None or self.selected_provider() is not None


# ---- KPI settings ---------------------------------------------------------------------------


class NumberField(DecimalField):
    """An optional number (a target or a comparator) with messages in plain words. Accepts
    '45%' and '1,200'; keeps one decimal place, as the database does."""

    def __init__(self, label=None, validators=None, *, invalid: str, **kwargs):
        super().__init__(label, validators, places=1, widget=GovTextInput(), **kwargs)
        self.invalid = invalid

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "") or ""
        text = text.strip().removesuffix("%").replace(",", "").strip()
        if not text:
            return
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(self.invalid) from None
        if not value.is_finite() or abs(value) > MAX_DECIMAL:  # quantize() fails on 1e30
            raise ValueError(self.invalid)
        self.data = value.quantize(Decimal("0.1"))

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        value = Decimal(self.data)
        return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.1f}"


class Between:
    def __init__(self, low: Decimal, high: Decimal, message: str):
        self.low, self.high, self.message = low, high, message

    def __call__(self, form, field):
        if field.data is not None and not self.low <= field.data <= self.high:
            raise ValidationError(self.message)


def _limits(kpi: KpiDefinition) -> tuple[Decimal, Decimal, str]:
    if kpi.unit == "%":
        return Decimal(0), Decimal(100), "a percentage from 0 to 100, like 85"
    if kpi.unit == "weeks":
        return Decimal(0), Decimal(520), "a number of weeks from 0 to 520, like 12"
    return Decimal(0), Decimal(100000), "a number from 0 to 100000, like 40"


def target_field(kpi: KpiDefinition) -> str:
    return f"target_{kpi.key}"


def comparator_field(kpi: KpiDefinition) -> str:
    return f"comparator_{kpi.key}"


def source_field(kpi: KpiDefinition) -> str:
    return f"source_{kpi.key}"


def lower_first(label: str) -> str:
    """'Share with an EHC plan' -> 'share with an EHC plan', for use mid-sentence."""
    return label[:1].lower() + label[1:]


class KpiSettingsForm(FlaskForm):
    baseline_date = DateInputField(
        "Baseline date",
        what="the baseline date",
        description=(
            "The figures on this date are each measure's baseline. For example, 1 9 2025. "
            "Leave it empty to show no baseline"
        ),
    )
    submit = SubmitField("Save targets and comparators", widget=GovSubmitInput())

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def validate_baseline_date(self, field):
        if field.data is not None and field.data > self.today:
            raise ValidationError("The baseline date must be today or in the past")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for kpi in KPIS:
            comparator = self[comparator_field(kpi)]
            source = self[source_field(kpi)]
            if comparator.errors or source.errors:
                continue
            if comparator.data is not None and not source.data:
                source.errors.append(
                    f"Enter where the comparator for {lower_first(kpi.label)} comes from, "
                    "like National figure 2024/25"
                )
                valid = False
            elif comparator.data is None and source.data:
                comparator.errors.append(
                    f"Enter the comparator for {lower_first(kpi.label)}, "
                    "or leave where it comes from empty"
                )
                valid = False
        return valid

    def kpi_fields(self):
        """(kpi, its name mid-sentence, target, comparator, source) for the template."""
        for kpi in KPIS:
            yield (
                kpi,
                lower_first(kpi.label),
                self[target_field(kpi)],
                self[comparator_field(kpi)],
                self[source_field(kpi)],
            )


for _kpi in KPIS:
    _low, _high, _example = _limits(_kpi)
    _what = lower_first(_kpi.label)
    setattr(
        KpiSettingsForm,
        target_field(_kpi),
        NumberField(
            "Target",
            invalid=f"Enter the target for {_what} as {_example}",
            validators=[Between(_low, _high, f"The target for {_what} must be {_example}")],
        ),
    )
    setattr(
        KpiSettingsForm,
        comparator_field(_kpi),
        NumberField(
            "Comparator",
            invalid=f"Enter the comparator for {_what} as {_example}",
            validators=[Between(_low, _high, f"The comparator for {_what} must be {_example}")],
        ),
    )
    setattr(
        KpiSettingsForm,
        source_field(_kpi),
        StringField(
            "Where the comparator comes from",
            widget=GovTextInput(),
            filters=[strip],
            validators=[
                Length(
                    max=200,
                    message=f"Where the comparator for {_what} comes from must be "
                    "200 characters or fewer",
                )
            ],
        ),
    )
