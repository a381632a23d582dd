from __future__ import annotations

from django.shortcuts import render

from ..problems import UnreadableInput

# Everything the pages use is served by the workbench itself: no CDN, no inline script, no frames.
POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


class SecurityHeaders:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            response.setdefault("Cache-Control", "private, no-store")
        return response


class WorkspaceErrors:
    """A workspace file that cannot be read at all is the clerk's to fix, so it is a page saying
    which file and why, not a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, UnreadableInput):
            return render(request, "web/unreadable.html", {"problem": exception.problem}, status=500)
        if isinstance(exception, OSError):
            from ..problems import os_reason

            return render(
                request,
                "web/unreadable.html",
                {"problem": f"{exception.filename or '工作区'}: 错误: 无法读写（{os_reason(exception)}）。"},
                status=500,
            )
        return None
