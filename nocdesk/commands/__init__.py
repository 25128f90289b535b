"""Subcommands of the `nocdesk` CLI, one module per area; each exposes register(subparsers)."""
