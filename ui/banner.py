"""The banner over the main window when nothing is polling this database (no fresh engine heartbeat)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from nocdesk.views import EngineStatus

from . import fmt


class EngineBanner(QFrame):
    """Hidden while an engine beats; otherwise says since when polling stopped and offers to start it."""

    start_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("engineBanner")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setObjectName("bannerText")
        self.start_btn = QPushButton(self.tr("Start polling"))
        self.start_btn.setObjectName("bannerButton")
        self.start_btn.clicked.connect(self.start_requested)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(12, 8, 12, 8)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.start_btn)
        self.hide()

    def update_status(self, status: EngineStatus, *, can_start: bool, note: str = "") -> None:
        if status.alive:
            self.hide()
            return
        if status.last_beat_at is None:
            text = self.tr("Polling is not running: no engine has polled this database yet.")
        else:
            text = self.tr("Polling is not running: the last engine heartbeat was {ago} ({when}). "
                           "States shown are from then; nothing is being measured or alerted.").format(
                ago=fmt.ago(status.last_beat_at), when=fmt.when(status.last_beat_at, zone_name=True))
        if note:
            text += " " + note
        self.text.setText(text)
        self.start_btn.setVisible(can_start)
        self.show()
