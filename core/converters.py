"""URL parts shared by the apps' URLconfs."""


class TokenConverter:
    """A secret token in an address (a private calendar feed): only the characters
    `secrets.token_urlsafe` writes, so that anything else (a NUL byte, a slash) is a 404
    without reaching the database."""

    regex = "[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
