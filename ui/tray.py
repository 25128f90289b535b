"""The system tray: an icon in the colour of the worst state, notifications and a sound on critical events."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

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
        self.beeps = 0
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

    def announce(self, notices: list[Any]) -> None:
        """Show desktop notices (nocdesk.notify.desktop.DesktopNotice); several at once become one summary."""
        if not notices:
            return
        if len(notices) == 1:
            title, text = notices[0].title or "nocdesk", notices[0].text
        else:
            title = self.tr("{n} new alerts").format(n=len(notices))
            text = "\n".join(n.title or n.text for n in notices[:5])
        self.shown.append((title, text))
        critical = any(n.severity == "critical" for n in notices)
        if self.notify_desktop and self.icon is not None:
            icon_kind = QSystemTrayIcon.MessageIcon.Critical if critical else QSystemTrayIcon.MessageIcon.Warning
            self.icon.showMessage(title, text, icon_kind, 15000)
        if self.play_sound and any(n.sound for n in notices):
            self.beeps += 1
            QApplication.beep()

    def hide(self) -> None:
        if self.icon is not None:
            self.icon.hide()
