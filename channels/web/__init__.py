"""Customer web pages: the intake form and the signed-link status page (Starlette)."""
