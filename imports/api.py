from datetime import datetime

from django.core.exceptions import ValidationError
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from organisations.access import get_municipality_for_user
from organisations.permissions import Permission

from . import actions
from .access import get_import_run_for_user
from .models import ImportKind, ImportRun

router = Router(tags=["imports"])


class Rejection(Schema):
    line: int | None
    post: int | None
    message: str


class RunOut(Schema):
    id: int
    kind: str
    file_name: str
    status: str
    progress: int
    created_at: datetime
    finished_at: datetime | None
    created: int
    changed: int
    unchanged: int
    skipped: int
    rejected: int
    responsibility_changed: int
    message: str
    rejections: list[Rejection]


class ErrorOut(Schema):
    detail: str


def run_out(run: ImportRun) -> dict:
    return {
        **{f: getattr(run, f) for f in RunOut.model_fields if f not in ("progress", "rejections")},
        "progress": run.progress(),
        "rejections": list(run.rejections.values("line", "post", "message")[:500]),
    }


@router.post(
    "", response={201: RunOut, 400: ErrorOut, 404: ErrorOut}, summary="Upload a file to import"
)
def upload(
    request,
    kind: Form[ImportKind],
    municipality_code: Form[str],
    file: File[UploadedFile],
):
    municipality, _allowed = get_municipality_for_user(
        request.user,
        Permission.RUN_IMPORT,
        code=municipality_code,
        page="imports",
        channel="api",
        request=request,
        hidden=True,
    )
    try:
        run = actions.create_run(
            by=request.user,
            municipality=municipality,
            kind=kind,
            file_name=file.name or "upload",
            content=file,
            channel="api",
        )
    except ValidationError as error:
        return 400, {"detail": " ".join(error.messages)}
    return 201, run_out(run)


@router.get("/{int:run_id}", response=RunOut, summary="An import run's status and result")
def status(request, run_id: int):
    return run_out(get_import_run_for_user(request.user, run_id, channel="api", request=request))
