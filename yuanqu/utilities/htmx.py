def htmx_partial(request) -> bool:
    """Whether to answer with a fragment: an HTMX request that is not a full-page boost."""
    return bool(getattr(request, "htmx", False)) and not request.htmx.boosted
