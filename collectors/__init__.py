"""Collectors: ICMP, SNMP, SSH, traps and service checks. Plain dataclasses out; no store, no Qt."""
