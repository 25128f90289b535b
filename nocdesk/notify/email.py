"""E-mail over SMTP (smtplib): STARTTLS, implicit TLS ('ssl', port 465) or plain, with optional login.

Every smtplib/socket/ssl failure is turned into a SendResult whose text names the server and what to check;
a refusal (4xx or 5xx) keeps the message queued for a later try, because a full mailbox or a greylisting
server often accepts it an hour later. `payload["attachments"]` (a list of (filename, bytes, mime type); the mime
type may be left out and is then guessed from the name) are attached as they are, e.g. the monthly report's files.
"""

from __future__ import annotations

import mimetypes
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from ..i18n import _
from .channel import SendResult


@dataclass(frozen=True)
class EmailChannel:
    """An SMTP server and the sender address; the password stays out of repr."""

    host: str
    port: int = 587
    security: str = "starttls"  # starttls | ssl | plain
    username: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""
    ca_file: str = ""
    timeout_s: float = 20.0
    name: str = "email"

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca_file or None)

    def _where(self) -> str:
        return f"{self.host}:{self.port}"

    def _message(self, recipient: str, payload: Mapping[str, Any]) -> EmailMessage:
        msg = EmailMessage()
        msg["Subject"] = str(payload.get("subject") or payload.get("summary") or "nocdesk")
        msg["From"] = self.sender or self.username or "nocdesk@localhost"
        msg["To"] = recipient
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = make_msgid(domain="nocdesk")
        if payload.get("alert_id") is not None:
            msg["X-Nocdesk-Alert"] = str(payload["alert_id"])
        msg.set_content(str(payload.get("text") or ""))
        for item in payload.get("attachments") or ():
            name, data = str(item[0]), bytes(item[1])
            ctype = (item[2] if len(item) > 2 and item[2] else None) or mimetypes.guess_type(name)[0] \
                or "application/octet-stream"
            maintype, subtype = ctype.split("/", 1)
            msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
        return msg

    def _connect(self) -> smtplib.SMTP:
        if self.security == "ssl":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout_s, context=self._context())
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout_s)
        if self.security == "starttls":
            smtp.ehlo()
            smtp.starttls(context=self._context())
            smtp.ehlo()
        return smtp

    def _timeout(self) -> SendResult:
        return SendResult.failed(_("{server} did not answer within {seconds} s").format(
            server=self._where(), seconds=int(self.timeout_s)), kind="timeout")

    def send(self, recipient: str, payload: Mapping[str, Any]) -> SendResult:
        """Send one mail to `recipient`; never raises for network or server trouble."""
        if not self.host:
            return SendResult.failed(_("notify.email.smtp_host is empty: set the SMTP server"), permanent=True,
                                     kind="config")
        try:
            with self._connect() as smtp:
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(self._message(recipient, payload), to_addrs=[recipient])
            return SendResult(True)
        except smtplib.SMTPAuthenticationError as err:
            return SendResult.failed(_("{server} refused the login of '{user}' ({code}): check notify.email.user "
                                       "and the password credential").format(server=self._where(), user=self.username,
                                                                             code=err.smtp_code),
                                     kind="auth", code=err.smtp_code)
        except smtplib.SMTPNotSupportedError as err:
            return SendResult.failed(_("{server} does not offer {what}: check notify.email.security and the port")
                                     .format(server=self._where(), what=err), kind="tls")
        except smtplib.SMTPRecipientsRefused as err:
            code, text = next(iter(err.recipients.values()))
            return SendResult.failed(_("{server} refused recipient {to}: {code} {text}").format(
                server=self._where(), to=recipient, code=code, text=_decode(text)), kind="refused", code=code)
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as err:
            return SendResult.failed(_("{server} refused the message: {code} {text}").format(
                server=self._where(), code=err.smtp_code, text=_decode(err.smtp_error)), kind="refused",
                code=err.smtp_code)
        except ssl.SSLCertVerificationError as err:
            return SendResult.failed(_("{server}: its TLS certificate is not trusted ({reason}); set notify.email.ca_file "
                                       "to the server's CA").format(server=self._where(), reason=err.verify_message),
                                     kind="tls")
        except (ssl.SSLError, smtplib.SMTPServerDisconnected) as err:
            if "timed out" in str(err):
                return self._timeout()
            return SendResult.failed(_("{server}: the connection broke ({error}); does notify.email.security match "
                                       "the port (ssl: 465, starttls: 587)?").format(server=self._where(), error=err),
                                     kind="tls" if isinstance(err, ssl.SSLError) else "connect")
        except TimeoutError:
            return self._timeout()
        except (OSError, smtplib.SMTPException) as err:
            kind = "connection_refused" if isinstance(err, ConnectionRefusedError) else (
                "connect" if isinstance(err, OSError) else "")
            return SendResult.failed(_("cannot send through {server}: {error}").format(server=self._where(), error=err),
                                     kind=kind)


def _decode(text: bytes | str) -> str:
    return text.decode(errors="replace") if isinstance(text, bytes) else str(text)
