"""Notification delivery: a persistent queue in the store, one sender per channel, and the dispatcher that drains it.

Channels: email (SMTP), telegram (Bot API), webhook (JSON POST) and desktop (polled by the UI). Nothing here
imports Qt; the UI shows desktop notifications by polling `nocdesk.notify.desktop`.
"""
