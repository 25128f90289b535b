"""The demo network: a simulated Pemda data center on loopback that the real collectors poll."""
