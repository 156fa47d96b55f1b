"""The few colours the windows choose themselves (an error line, a hint, an invalid field,
a notice bar), worked out from the palette so they stay readable under a dark desktop
theme as under a light one.

A fixed ``#b00020`` on a dark window, or a fixed near-white field background under light
palette text, was nearly invisible (walkthrough 9). Each colour here is picked for the
palette's lightness and then checked against its background with the WCAG contrast ratio:
one still under ``MIN_CONTRAST`` is moved toward the palette's own text colour until it
reads. Plots and the flow canvas keep their fixed white panels and are not styled here.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette

MIN_CONTRAST = 4.5          # WCAG AA for normal text
_ERROR_ON_LIGHT = QColor("#b00020")
_ERROR_ON_DARK = QColor("#ff8a80")
_HINT_DIMMING = (0.45, 0.35, 0.25, 0.15)   # how far a hint fades from text toward window
_NOTICE_LIGHT, _NOTICE_DARK = QColor("#fff4ce"), QColor("#4a3f12")   # a yellow notice bar
_NOTICE_BORDER_LIGHT, _NOTICE_BORDER_DARK = QColor("#e0c36a"), QColor("#8a7424")


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def luminance(colour: QColor) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""
    return (0.2126 * _linear(colour.redF()) + 0.7152 * _linear(colour.greenF())
            + 0.0722 * _linear(colour.blueF()))


def contrast_ratio(one: QColor, other: QColor) -> float:
    """WCAG contrast ratio of two opaque colours, 1 (same) to 21 (black on white)."""
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mix(one: QColor, other: QColor, amount: float) -> QColor:
    """``one`` moved ``amount`` (0 to 1) of the way toward ``other``."""
    return QColor.fromRgbF(*(a + (b - a) * amount for a, b in (
        (one.redF(), other.redF()), (one.greenF(), other.greenF()),
        (one.blueF(), other.blueF()))))


def _opaque(colour: QColor, background: QColor) -> QColor:
    """A translucent palette colour (Qt 6's placeholder text) as drawn on ``background``."""
    return mix(background, colour, colour.alphaF()) if colour.alphaF() < 1 else colour


def readable(colour: QColor, background: QColor, text: QColor) -> QColor:
    """``colour``, or the first step from it toward ``text`` that reads on
    ``background``; ``text`` itself when even that falls short."""
    for step in range(11):
        tried = mix(colour, text, step / 10)
        if contrast_ratio(tried, background) >= MIN_CONTRAST:
            return tried
    return QColor(text)


def _palette(palette: QPalette | None) -> QPalette:
    return palette if palette is not None else QGuiApplication.palette()


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the palette's windows are dark (light text on them)."""
    return _palette(palette).color(QPalette.ColorRole.Window).lightnessF() < 0.5


def _roles(background: QPalette.ColorRole) -> tuple[QPalette.ColorRole, QPalette.ColorRole]:
    text = (QPalette.ColorRole.Text if background == QPalette.ColorRole.Base
            else QPalette.ColorRole.WindowText)
    return background, text


def error_colour(palette: QPalette | None = None,
                 background: QPalette.ColorRole = QPalette.ColorRole.Window) -> QColor:
    """The red of an error line: dark on a light window, light on a dark one."""
    pal = _palette(palette)
    back_role, text_role = _roles(background)
    back = pal.color(back_role)
    red = _ERROR_ON_DARK if back.lightnessF() < 0.5 else _ERROR_ON_LIGHT
    return readable(red, back, pal.color(text_role))


def hint_colour(palette: QPalette | None = None,
                background: QPalette.ColorRole = QPalette.ColorRole.Window) -> QColor:
    """The grey of a hint or note: the palette's text faded toward its background as far
    as it still reads (the placeholder colour when that reads already)."""
    pal = _palette(palette)
    back_role, text_role = _roles(background)
    back, text = pal.color(back_role), pal.color(text_role)
    placeholder = _opaque(pal.color(QPalette.ColorRole.PlaceholderText), back)
    if (contrast_ratio(placeholder, back) >= MIN_CONTRAST
            and contrast_ratio(placeholder, text) > 1.5):   # a grey, not the text itself
        return placeholder
    for amount in _HINT_DIMMING:
        faded = mix(text, back, amount)
        if contrast_ratio(faded, back) >= MIN_CONTRAST:
            return faded
    return QColor(text)


def error_style(palette: QPalette | None = None) -> str:
    """A label's style sheet for an error line on a window."""
    return f"color: {error_colour(palette).name()};"


def hint_style(palette: QPalette | None = None) -> str:
    """A label's style sheet for a hint or note on a window."""
    return f"color: {hint_colour(palette).name()};"


def invalid_field_colours(palette: QPalette | None = None) -> tuple[QColor, QColor, QColor]:
    """(text, background, border) of a field holding a value that is not allowed: the
    field's own background tinted red, its own text, and an error-red border."""
    pal = _palette(palette)
    base, text = pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text)
    back = mix(base, QColor("#ff0000"), 0.18 if is_dark(pal) else 0.06)
    return (readable(text, back, text), back,
            error_colour(pal, QPalette.ColorRole.Base))


def invalid_field_style(palette: QPalette | None = None) -> str:
    """A line edit's style sheet for a value that is not allowed; both the text and the
    background are set, so neither comes from a palette the other does not match."""
    text, back, border = invalid_field_colours(palette)
    return (f"QLineEdit {{ border: 1px solid {border.name()}; "
            f"background: {back.name()}; color: {text.name()}; }}")


def notice_colours(palette: QPalette | None = None) -> tuple[QColor, QColor, QColor]:
    """(text, background, border) of a yellow notice bar (the flow's recovery offer)."""
    pal = _palette(palette)
    dark = is_dark(pal)
    back = _NOTICE_DARK if dark else _NOTICE_LIGHT
    border = _NOTICE_BORDER_DARK if dark else _NOTICE_BORDER_LIGHT
    text = pal.color(QPalette.ColorRole.WindowText)
    return readable(text, back, QColor("white" if dark else "black")), back, border
