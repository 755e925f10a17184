"""Where a request came from."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies
    in front, the address the outermost trusted proxy saw."""
    candidate = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def rate_limit_address(address: str | None) -> str | None:
    """The address a rate limit counts: an IPv6 client's /64 network (one
    household or device commonly holds a whole /64, so counting single
    addresses would give it 2**64 allowances), the IPv4 address inside an
    IPv4-mapped IPv6 one, any other address as it is."""
    if not address:
        return address
    ip = ipaddress.ip_address(address)
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
