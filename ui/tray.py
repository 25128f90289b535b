"""The system tray: an icon in the colour of the worst state, notifications and a sound on critical events."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from nocdesk.views import EventRow

from . import fmt
from .icons import icon, tray_icon


class Tray(QObject):
    """Wraps QSystemTrayIcon (absent on some desktops and under offscreen: then it only records)."""

    show_requested = Signal()
    quit_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worst = "unknown"
        self.notify_desktop = True
        self.play_sound = False
        self.shown: list[tuple[str, str]] = []  # (title, text) of every notification, for tests and the log
        self.icon: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.icon = QSystemTrayIcon(tray_icon("unknown"), self)
            menu = QMenu()
            menu.addAction(icon("action-dashboard"), self.tr("Show nocdesk"), self.show_requested.emit)
            menu.addSeparator()
            menu.addAction(icon("action-quit"), self.tr("Quit (stops polling)"), self.quit_requested.emit)
            self._menu = menu
            self.icon.setContextMenu(menu)
            self.icon.activated.connect(self._activated)
            self.icon.show()

    @property
    def available(self) -> bool:
        return self.icon is not None

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_requested.emit()

    def set_state(self, worst: str, totals: dict[str, int]) -> None:
        """Show the worst state in the icon and the totals in its tooltip."""
        self.worst = worst
        tip = "nocdesk — " + ", ".join(f"{fmt.state_name(s)} {n}" for s, n in totals.items() if n)
        if self.icon is not None:
            self.icon.setIcon(tray_icon(worst))
            self.icon.setToolTip(tip)

    def announce(self, events: list[EventRow]) -> None:
        """A notification (and a sound if enabled) for new critical events; several are summarised in one."""
        if not events:
            return
        if len(events) == 1:
            title = self.tr("Critical: {device}").format(device=events[0].device_name or "nocdesk")
            text = events[0].message
        else:
            title = self.tr("{n} critical events").format(n=len(events))
            text = "\n".join(e.message for e in events[:5])
        self.shown.append((title, text))
        if self.notify_desktop and self.icon is not None:
            self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Critical, 15000)
        if self.play_sound:
            QApplication.beep()

    def hide(self) -> None:
        if self.icon is not None:
            self.icon.hide()
