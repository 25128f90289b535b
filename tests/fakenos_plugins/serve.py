"""Run emulated switches for the config-backup tests: one fakenos SSH server per host, in its own process.

    python tests/fakenos_plugins/serve.py --plugin nocdesk_cisco_ios.yaml --config-dir DIR \
        --host sw1=127.0.0.1:6101 --host sw2=127.0.0.2:6101 --username u --password p \
        [--enable-secret S] [--key-file RSA_KEY]

Each host gets its own fakenos instance, so several hosts may share a port on different loopback addresses
(one SSH credential for all of them). A command whose output in the plugin YAML is "@config-file" answers
with DIR/<host>.cfg, read at every call, so a test changes a switch's running config by writing a file.
Prints "READY" when every host listens; stops on SIGTERM or when stdin closes. Kept out of the test
process so the fake devices' own logs (fakenos logs every line it receives) never mix with nocdesk's.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

CONFIG_PLACEHOLDER = "@config-file"


def _reader(config_dir: Path):
    def output(_device: object, *, base_prompt: str, **_kw: object) -> str:
        path = config_dir / f"{base_prompt}.cfg"
        try:
            return path.read_text(encoding="utf-8").replace("\r\n", "\n").rstrip("\n")
        except FileNotFoundError:
            return f"Error: no configuration file {path.name}"

    return output


def _start(args: argparse.Namespace) -> list:
    from fakenos import FakeNOS

    plugin = str(Path(args.plugin).resolve())
    nets = []
    for spec in args.host:
        name, _sep, where = spec.partition("=")
        address, _sep, port = where.rpartition(":")
        server_conf: dict = {"address": address, "timeout": 1}
        if args.key_file:
            server_conf["ssh_key_file"] = args.key_file
        inventory = {"hosts": {name: {"username": args.username, "password": args.password, "port": int(port),
                                      "server": {"plugin": "ParamikoSshServer", "configuration": server_conf},
                                      "nos": {"plugin": Path(plugin).stem}}}}
        net = FakeNOS(inventory=inventory, plugins=[plugin])
        nos = net.nos_plugins[Path(plugin).stem]
        for command in nos.commands.values():
            if command.get("output") == CONFIG_PLACEHOLDER:
                command["output"] = _reader(Path(args.config_dir))
        if args.enable_secret:
            # The secret is typed at the "Password: " prompt that `enable` leaves the shell in.
            nos.commands[args.enable_secret] = {"output": None, "new_prompt": "{base_prompt}#",
                                                "prompt": "Password: ", "help": "enable secret"}
        net.start()
        nets.append(net)
    return nets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--config-dir", required=True)
    parser.add_argument("--host", action="append", required=True, help="NAME=ADDRESS:PORT")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--enable-secret", default="")
    parser.add_argument("--key-file", default="")
    args = parser.parse_args()
    # Stopping fakenos host by host takes about two seconds each: the process just ends, the OS closes sockets.
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    _start(args)
    print("READY", flush=True)
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    stop.wait()
    os._exit(0)


if __name__ == "__main__":
    main()
