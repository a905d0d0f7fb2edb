def is_htmx(request) -> bool:
    """True for a request made by htmx (it then wants a partial, not a redirect)."""
    return request.headers.get("HX-Request") == "true"
