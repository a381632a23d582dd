"""An upload's file name exactly as the browser sent it. Django strips any path from an uploaded
file's name before a view sees it, so `../../noticeboard.yaml` would arrive as `noticeboard.yaml`
and be judged as if the clerk had chosen that file; the issue asks for such names to be refused with
a message, and desk.save_table is what refuses them, so it has to be given the name as sent."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.middleware.csrf import CsrfViewMiddleware


class _Recorder(FileUploadHandler):
    """First of the handlers: learns which field the name just sanitised belongs to, and passes
    every chunk on untouched."""

    def __init__(self, parser: RawNameParser, request: HttpRequest):
        super().__init__(request)
        self.parser = parser

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        if self.parser.pending is not None:
            self.parser.raw[field_name] = self.parser.pending
            self.parser.pending = None

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


class RawNameParser(MultiPartParser):
    """Django's own parser, which also keeps each file's name as sent: ``raw`` by field, and in
    ``dropped`` the names that Django's sanitising left empty (``..``, ``a/``), whose files it skips."""

    def __init__(self, request: HttpRequest):
        self.raw: dict[str, str] = {}
        self.dropped: list[str] = []
        self.pending: str | None = None
        handlers = [_Recorder(self, request), *request.upload_handlers]
        super().__init__(request.META, request, handlers, request.encoding)

    def sanitize_file_name(self, file_name):
        sanitised = super().sanitize_file_name(file_name)
        if sanitised:
            self.pending = file_name
        else:
            self.dropped.append(file_name)
        return sanitised


def parse(request: HttpRequest) -> RawNameParser | str:
    """Parses a multipart POST into request.POST and request.FILES, as Django would have; returns
    the parser, or what to tell the clerk when the body cannot be read."""
    parser = RawNameParser(request)
    try:
        request._post, request._files = parser.parse()
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        request._mark_post_parse_error()
        return "上传的表单太大或文件太多，请一次只上传一个数据表文件。"
    except MultiPartParserError:
        request._mark_post_parse_error()
        return "上传没有完成，收到的内容不完整。请重新选择文件再上传一次。"
    return parser


def csrf_refusal(request: HttpRequest) -> HttpResponse | None:
    """Django's CSRF check, run by hand for a view that had to parse its body first (the check reads
    the token from request.POST): the same refusal page as everywhere else, or None when it passes."""
    return CsrfViewMiddleware(lambda _: HttpResponse()).process_view(request, None, (), {})
