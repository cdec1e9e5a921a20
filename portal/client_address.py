"""The client's address, read as the proxy contract in docs/deployment.md allows.

Each of the TRUSTED_PROXY_COUNT proxies in front of gunicorn puts the address it received the
connection from as the right-most X-Forwarded-For entry (nginx appends it; Caddy replaces what
an untrusted client sent). So only the right-most TRUSTED_PROXY_COUNT entries were written by
someone we trust, and the client is the left-most of them: ``entries[-TRUSTED_PROXY_COUNT]``.
Anything further left came with the request and may be forged.

Worked examples, REMOTE_ADDR being the nearest proxy (172.18.0.5):

- One proxy (nginx or Caddy; TRUSTED_PROXY_COUNT=1, the production default):
  ``203.0.113.7`` -> 203.0.113.7; ``1.2.3.4, 203.0.113.7`` -> 203.0.113.7 (1.2.3.4 is the
  client's own claim); no header (straight to gunicorn) -> REMOTE_ADDR.
- Two proxies (a CDN, then nginx; TRUSTED_PROXY_COUNT=2):
  ``1.2.3.4, 203.0.113.7, 198.51.100.2`` -> 203.0.113.7; a single entry (the request skipped
  a proxy) -> REMOTE_ADDR.
- No proxy (development; TRUSTED_PROXY_COUNT=0, the default outside production): always
  REMOTE_ADDR, whatever the header says.
- An entry that is not an address -> REMOTE_ADDR. ``203.0.113.7:51234`` and
  ``[2001:db8::7]:443`` lose their port; ``::ffff:203.0.113.7`` is 203.0.113.7.
- IPv6: one address is its /64 network (``2001:db8:1:2::7`` -> ``2001:db8:1:2::``). A single
  machine usually holds a whole /64 and could otherwise take a fresh address for every few
  guesses.

Why not django-ipware (which django-axes uses when this callable is not set): its
``proxy_count`` counts the proxies *listed in the header*, so with 1 it expects
"client, proxy" and discards the one-entry header nginx and Caddy send, recording every client
with no address (one shared lock for everyone), while it takes a forged left-hand entry as the
client; it also prefers a public address from a later header over a private one from an
earlier header, and finds no address at all for a direct request once the count is 2.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

_IPV6_NETWORK_BITS = 64
_IPV6_NETWORK_MASK = ((1 << _IPV6_NETWORK_BITS) - 1) << (128 - _IPV6_NETWORK_BITS)


def client_ip(request: HttpRequest) -> str | None:
    """The address of whoever sent the request (django-axes' AXES_CLIENT_IP_CALLABLE), or None."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(entries) >= hops and (forwarded := _address(entries[-hops])):
            return forwarded
    return _address(request.META.get("REMOTE_ADDR", ""))


def _address(text: str) -> str | None:
    """One address in its canonical form (what the database stores and compares), or None."""
    text = text.strip()
    if text.startswith("["):  # [2001:db8::7]:443
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # 203.0.113.7:51234
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(ipaddress.IPv6Address(int(address) & _IPV6_NETWORK_MASK))
