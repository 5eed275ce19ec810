"""Random secrets, their stored hashes, and signed values (itsdangerous is the one home here)."""

import hashlib
import hmac
import secrets

from itsdangerous import BadSignature, URLSafeSerializer


def new_secret() -> str:
    """A random, URL-safe secret of 256 bits."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """The SHA-256 hex digest under which a secret is stored; the secret itself never is."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def keyed_digest(value: str, *, key: str, purpose: str) -> str:
    """An HMAC-SHA256 of a value under the app's key, for one purpose (hex)."""
    message = f"{purpose}:{value}".encode()
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    """Compare two secrets in constant time."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def sign(value: str, *, key: str, purpose: str) -> str:
    """Sign a value for one purpose, so a token made for one use is refused for another."""
    return str(URLSafeSerializer(key, salt=purpose).dumps(value))


def unsign(token: str, *, key: str, purpose: str) -> str | None:
    """Return the value of a token signed for this purpose, or None if it was tampered with."""
    try:
        value = URLSafeSerializer(key, salt=purpose).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, str) else None
