"""The preferences form: one choice per kind of message the person may receive."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice

from app.core.forms import Form
from app.notifications.kinds import Kind, Mode, mode_field

MODE_LABELS = {
    Mode.IMMEDIATELY: _l("Immediately"),
    Mode.DIGEST: _l("Daily digest"),
    Mode.OFF: _l("Off"),
}


class PreferencesForm(Form):
    """Fields are added per kind by `preferences_form`."""

    def mode_fields(self) -> list[RadioField]:
        return [field for field in self if field.name.startswith("mode_")]


def preferences_form(kinds: Sequence[Kind], modes: Mapping[str, Mode]) -> PreferencesForm:
    """A form with a radio group for each kind that can be changed (security kinds are
    shown on the page, fixed, with no field)."""

    class Preferences(PreferencesForm):
        pass

    for kind in kinds:
        if kind.security:
            continue
        setattr(Preferences, mode_field(kind.key), RadioField(
            kind.label, choices=[SelectChoice(mode.value, MODE_LABELS[mode]) for mode in Mode],
            default=modes[kind.key].value, validate_choice=False))
    return Preferences()
