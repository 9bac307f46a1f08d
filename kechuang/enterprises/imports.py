"""File imports for enterprises, yearly figures and IP: streamed, checked whole, then written.

Pass one reads the file as a stream, checks every row against lookups loaded once (no query per
row) and keeps only the keys it has seen (to catch a row repeated in the file) and the checked
rows, spilled to a temporary file. If any row is wrong, nothing is written and every problem is
reported (the first 1,000 kept, all counted). Pass two reads the spill back in chunks and
upserts by natural key — USCC; USCC + year; USCC + kind + number — with bulk queries, all in
one transaction, recording the audit entries in bulk as well.
"""

from __future__ import annotations

import logging
import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kechuang.accounts.models import Organization
from kechuang.audit.services import log_bulk
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises import checks, services
from kechuang.enterprises.models import (
    Enterprise,
    ImportJob,
    IntellectualProperty,
    YearlyFigures,
)
from kechuang.enterprises.tables import COLUMNS, FIGURE_KEYS, CellParser, Column, open_table

log = logging.getLogger(__name__)

CHUNK = 2000
PROGRESS_EVERY = 1000


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class FileRejected(Rejected):
    """Rejected, with the number of problems in all (``problems`` keeps only the first ones)."""

    def __init__(self, problems: list[Problem], count: int, rows: int) -> None:
        super().__init__(problems)
        self.count = count
        self.rows = rows


Progress = Callable[[str, int, int, int], None]  # phase, rows checked, rows written, total


def _silent(phase: str, checked: int, done: int, total: int) -> None:
    return None


class _Spill:
    """Checked rows parked on disk between the passes, so memory stays flat.

    Rows are written a chunk at a time and read back as the same chunks.
    """

    def __init__(self, size: int = CHUNK) -> None:
        self.fh = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close(), after pass two
        self.size = size
        self.pending: list[tuple] = []

    def add(self, row: tuple) -> None:
        self.pending.append(row)
        if len(self.pending) == self.size:
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            pickle.dump(self.pending, self.fh, protocol=pickle.HIGHEST_PROTOCOL)
            self.pending = []

    def chunks(self) -> Iterator[list[tuple]]:
        self._flush()
        self.fh.seek(0)
        while True:
            try:
                yield pickle.load(self.fh)  # our own temporary file, never user input
            except EOFError:
                return

    def close(self) -> None:
        self.fh.close()


class _Importer:
    """One kind of file. Subclasses check a parsed row and write a chunk of checked rows."""

    kind: str
    audited: tuple[str, ...]

    def __init__(self, user, file_name: str, *, approve: bool) -> None:
        self.user = user
        self.actor = user if getattr(user, "pk", None) else None
        self.file_name = file_name
        self.approve = approve
        self.columns: tuple[Column, ...] = COLUMNS[self.kind]
        self.present: set[str] = set()

    def prefix(self, line: int) -> str:
        return f"{self.file_name} 第{line}行 / row {line}"

    def preload(self) -> None:
        self.lookups = services.Lookups.load()

    def check(self, values: dict, prefix: str) -> tuple[tuple, list[Problem], dict]:
        """The row's natural key, its problems, and the values to write."""
        raise NotImplementedError

    def write(self, rows: list[tuple], result: ImportResult) -> None:
        raise NotImplementedError

    def _audit(self, created, updated, before) -> None:
        note = f"import {self.file_name}"
        log_bulk(created, LogEntry.Action.CREATE, actor=self.actor, fields=self.audited, note=note)
        log_bulk(
            updated,
            LogEntry.Action.UPDATE,
            actor=self.actor,
            fields=self.audited,
            before=before,
            note=note,
        )


class EnterpriseImporter(_Importer):
    kind = ImportJob.Kind.ENTERPRISES
    audited = ("uscc", *services.PROFILE_FIELDS)
    profile_keys = services.PROFILE_FIELDS

    def check(self, values, prefix):
        code = checks.clean_uscc(values["uscc"])
        problems = checks.check_uscc(code, checks.at(prefix, "统一社会信用代码", "uscc"))
        profile = {k: values[k] for k in self.profile_keys if k in self.present}
        cleaned, more = services.check_profile(
            profile, self.lookups, lambda k: checks.at(prefix, _label(self.columns, k), k)
        )
        cleaned["uscc"] = code
        return (code,), problems + more, cleaned

    def write(self, rows, result):
        by_code = {values["uscc"]: values for _, values in rows}
        existing = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=by_code)}
        keys = [k for k in self.profile_keys if k in self.present]
        to_update, before, renamed = [], {}, []
        new_codes = []
        for code, values in by_code.items():
            e = existing.get(code)
            if e is None:
                new_codes.append(code)
                continue
            old = {k: getattr(e, f"{k}_id" if k in {"industry", "park"} else k) for k in keys}
            profile = {k: values[k] for k in keys}
            if services.apply_profile(e, profile):
                before[e.pk] = old
                to_update.append(e)
                if "name" in profile and old.get("name") != e.name:
                    renamed.append(e)
            else:
                result.unchanged += 1
        orgs = {
            o.code: o
            for o in Organization.objects.filter(
                code__in=[services.organization_code(c) for c in new_codes]
            )
        }
        fresh = [
            Organization(
                code=services.organization_code(c),
                name=by_code[c]["name"],
                kind=Organization.Kind.ENTERPRISE,
            )
            for c in new_codes
            if services.organization_code(c) not in orgs
        ]
        for o in Organization.objects.bulk_create(fresh, batch_size=CHUNK):
            orgs[o.code] = o
        to_create = []
        for code in new_codes:
            e = Enterprise(uscc=code, organization=orgs[services.organization_code(code)])
            services.apply_profile(e, {k: by_code[code][k] for k in keys})
            to_create.append(e)
        now = timezone.now()
        for e in to_create:
            e.created_at = e.updated_at = now
        created = Enterprise.objects.bulk_create(to_create, batch_size=CHUNK)
        if to_update:
            for e in to_update:
                e.updated_at = now
            Enterprise.objects.bulk_update(
                to_update, [_attr(k) for k in keys] + ["updated_at"], batch_size=CHUNK
            )
        if renamed:
            org_rows = [Organization(pk=e.organization_id, name=e.name) for e in renamed]
            Organization.objects.bulk_update(org_rows, ["name"], batch_size=CHUNK)
        result.created += len(created)
        result.updated += len(to_update)
        self._audit(created, to_update, before)


class FigureImporter(_Importer):
    kind = ImportJob.Kind.FIGURES
    audited = (*FIGURE_KEYS, "source", "status")

    def preload(self):
        super().preload()
        # Keys only: id and registration date per USCC, never the enterprises themselves.
        self.enterprises = {
            code: (pk, registered_on)
            for pk, code, registered_on in Enterprise.objects.values_list(
                "pk", "uscc", "registered_on"
            ).iterator(chunk_size=10_000)
        }

    def check(self, values, prefix):
        code = checks.clean_uscc(values["uscc"])
        where_uscc = checks.at(prefix, "统一社会信用代码", "uscc")
        problems = []
        found = self.enterprises.get(code)
        if found is None:
            problems += checks.check_uscc(code, where_uscc) or [
                Problem(
                    where_uscc,
                    f"企业 {code} 尚未登记，请先导入企业名录",
                    f"enterprise {code} is not registered; import it first",
                )
            ]
        where = services.figures_where(prefix)
        year = values["year"]
        if year is not None:
            problems += checks.check_year(year, where("year"), found[1] if found else None)
        figures = {k: values[k] for k in FIGURE_KEYS}
        problems += services.check_figure_values(figures, where)
        cleaned = {k: values[k] for k in (*FIGURE_KEYS, "source") if k in self.present}
        cleaned["source"] = cleaned.get("source") or ""
        cleaned["enterprise_id"] = found[0] if found else None
        cleaned["year"] = year
        return (code, year), problems, cleaned

    def write(self, rows, result):
        ids = {values["enterprise_id"] for _, values in rows}
        years = {values["year"] for _, values in rows}
        existing = {
            (f.enterprise_id, f.year): f
            for f in YearlyFigures.objects.filter(enterprise_id__in=ids, year__in=years)
        }
        # The audit entry names each row "enterprise year": fetched once per chunk, not per row.
        named = {e.pk: e for e in Enterprise.objects.filter(pk__in=ids).only("pk", "name")}
        keys = [k for k in (*FIGURE_KEYS, "source") if k in self.present]
        now = timezone.now()
        status = YearlyFigures.Status.APPROVED if self.approve else YearlyFigures.Status.SUBMITTED
        to_create, to_update, before = [], [], {}
        for _, values in rows:
            f = existing.get((values["enterprise_id"], values["year"]))
            if f is None:
                f = YearlyFigures(enterprise=named[values["enterprise_id"]], year=values["year"])
                for k in keys:
                    setattr(f, k, values[k])
                to_create.append(f)
            else:
                changed = [k for k in keys if getattr(f, k) != values[k]]
                if not changed and (not self.approve or f.status == status):
                    result.unchanged += 1
                    continue
                f.enterprise = named[f.enterprise_id]
                before[f.pk] = {k: getattr(f, k) for k in self.audited}
                for k in changed:
                    setattr(f, k, values[k])
                to_update.append(f)
            f.status, f.entered_by, f.entered_at, f.submitted_at = status, self.actor, now, now
            f.approved_by = self.actor if self.approve else None
            f.approved_at = now if self.approve else None
        created = YearlyFigures.objects.bulk_create(to_create, batch_size=CHUNK)
        if to_update:
            YearlyFigures.objects.bulk_update(
                to_update,
                [
                    *keys,
                    "status",
                    "entered_by",
                    "entered_at",
                    "submitted_at",
                    "approved_by",
                    "approved_at",
                ],
                batch_size=CHUNK,
            )
        result.created += len(created)
        result.updated += len(to_update)
        self._audit(created, to_update, before)


class IPImporter(_Importer):
    kind = ImportJob.Kind.IP
    audited = ("kind", "number", *services.IP_FIELDS)

    def preload(self):
        super().preload()
        self.enterprises = dict(
            Enterprise.objects.values_list("uscc", "pk").iterator(chunk_size=10_000)
        )

    def check(self, values, prefix):
        code = checks.clean_uscc(values["uscc"])
        where_uscc = checks.at(prefix, "统一社会信用代码", "uscc")
        problems = []
        pk = self.enterprises.get(code)
        if pk is None:
            problems += checks.check_uscc(code, where_uscc) or [
                Problem(
                    where_uscc,
                    f"企业 {code} 尚未登记，请先导入企业名录",
                    f"enterprise {code} is not registered; import it first",
                )
            ]
        cleaned, more = services.check_ip(values, services.ip_where(prefix))
        cleaned["enterprise_id"] = pk
        return (code, values["kind"], cleaned["number"]), problems + more, cleaned

    def write(self, rows, result):
        ids = {values["enterprise_id"] for _, values in rows}
        numbers = {values["number"] for _, values in rows}
        existing = {
            (ip.enterprise_id, ip.kind, ip.number): ip
            for ip in IntellectualProperty.objects.filter(enterprise_id__in=ids, number__in=numbers)
        }
        keys = [k for k in services.IP_FIELDS if k in self.present or k in DERIVED_IP]
        to_create, to_update, before = [], [], {}
        for _, values in rows:
            ip = existing.get((values["enterprise_id"], values["kind"], values["number"]))
            if ip is None:
                to_create.append(
                    IntellectualProperty(
                        enterprise_id=values["enterprise_id"],
                        kind=values["kind"],
                        number=values["number"],
                        **{k: values[k] for k in services.IP_FIELDS},
                    )
                )
                continue
            changed = [k for k in keys if getattr(ip, k) != values[k]]
            if not changed:
                result.unchanged += 1
                continue
            before[ip.pk] = {k: getattr(ip, k) for k in self.audited}
            for k in changed:
                setattr(ip, k, values[k])
            to_update.append(ip)
        created = IntellectualProperty.objects.bulk_create(to_create, batch_size=CHUNK)
        if to_update:
            IntellectualProperty.objects.bulk_update(to_update, keys, batch_size=CHUNK)
        result.created += len(created)
        result.updated += len(to_update)
        self._audit(created, to_update, before)


# The class and status are always set, from the kind and the grant date when not given.
DERIVED_IP = {"ip_class", "status"}

IMPORTERS: dict[str, type[_Importer]] = {
    ImportJob.Kind.ENTERPRISES: EnterpriseImporter,
    ImportJob.Kind.FIGURES: FigureImporter,
    ImportJob.Kind.IP: IPImporter,
}


def _label(columns: tuple[Column, ...], key: str) -> str:
    return next((c.zh for c in columns if c.key == key), key)


def _attr(key: str) -> str:
    return f"{key}_id" if key in {"industry", "park"} else key


def import_file(
    user,
    path: Path,
    kind: str,
    *,
    file_name: str | None = None,
    approve: bool = False,
    progress: Progress = _silent,
) -> ImportResult:
    """Check the whole file, then write all of it or nothing. Raises ``FileRejected``."""
    if not user.has_perm("enterprises.import_data"):
        raise PermissionDenied("只有科技局可以批量导入 / only the bureau may import files")
    if approve and not user.has_perm("enterprises.approve_figures"):
        raise PermissionDenied("无权直接审核导入数据 / you may not approve imported figures")
    name = file_name or path.name
    importer = IMPORTERS[kind](user, name, approve=approve)
    importer.preload()
    parser = CellParser(importer.columns)
    spill = _Spill()
    try:
        try:
            checked = _check_pass(importer, parser, path, name, spill, progress)
        except FileRejected:
            raise
        except Rejected as exc:  # the file itself: unreadable, wrong type, missing columns
            raise FileRejected(exc.problems, len(exc.problems), 0) from exc
        progress(ImportJob.Phase.WRITING, checked, 0, checked)
        result = ImportResult(rows=checked)
        with transaction.atomic():
            done = 0
            for chunk in spill.chunks():
                importer.write(chunk, result)
                done += len(chunk)
                progress(ImportJob.Phase.WRITING, checked, done, checked)
        return result
    finally:
        spill.close()


def _check_pass(importer, parser, path, name, spill, progress) -> int:
    """Pass one: every row checked; the good ones spilled. Returns the number of rows."""
    problems: list[Problem] = []
    count = 0
    seen: dict[tuple, int] = {}
    checked = 0
    with open_table(path, name, importer.columns) as table:
        total = table.estimated_rows or 0
        progress(ImportJob.Phase.CHECKING, 0, 0, total)
        for line, cells in table.rows:
            if not importer.present:
                importer.present = set(cells)
            prefix = importer.prefix(line)
            values, row_problems = parser.parse(
                cells, lambda c, p=prefix: checks.at(p, c.zh, c.key)
            )
            key, more, cleaned = importer.check(values, prefix)
            row_problems += more
            if None not in key:
                first = seen.setdefault(key, line)
                if first != line:
                    row_problems.append(
                        Problem(
                            prefix,
                            f"与第{first}行重复（{' '.join(map(str, key))}）",
                            f"repeats row {first} ({' '.join(map(str, key))})",
                        )
                    )
            if row_problems:
                count += len(row_problems)
                problems.extend(row_problems[: ImportJob.MAX_PROBLEMS - len(problems)])
            elif not count:
                spill.add((line, cleaned))
            checked += 1
            if checked % PROGRESS_EVERY == 0:
                progress(ImportJob.Phase.CHECKING, checked, 0, max(total, checked))
    if not checked:
        raise FileRejected([Problem(name, "文件中没有数据行", "the file has no data rows")], 1, 0)
    if count:
        raise FileRejected(problems, count, checked)
    return checked


# --- jobs ------------------------------------------------------------------------------------


def create_job(user, upload, kind: str, *, approve: bool = False) -> ImportJob:
    """Store the uploaded file and queue it; the task does the work."""
    if not user.has_perm("enterprises.import_data"):
        raise PermissionDenied("只有科技局可以批量导入 / only the bureau may import files")
    name = Path(upload.name or "").name
    if Path(name).suffix.lower() not in {".xlsx", ".csv"}:
        raise Rejected(
            [Problem(name, "只支持 .xlsx 或 .csv 文件", "only .xlsx or .csv files are accepted")]
        )
    if kind not in ImportJob.Kind.values:
        raise Rejected([Problem("kind", "请选择导入内容", "choose what the file holds")])
    job = ImportJob(kind=kind, original_name=name[:255], created_by=user, approve=approve)
    job.file.save(name, upload, save=False)
    job.save()
    return job


def _job_progress(job: ImportJob) -> Progress:
    def report(phase: str, checked: int, done: int, total: int) -> None:
        # Outside the write transaction these commit at once, so the page sees them; inside it
        # they become visible when the import commits.
        ImportJob.objects.filter(pk=job.pk).update(
            phase=phase, rows_checked=checked, rows_done=done, rows_total=total
        )

    return report


def run_job(job_id: int) -> str:
    """Process a queued job; the outcome (rows written, or every problem) stays on the job."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return job.status
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    fields: dict = {}
    try:
        with set_actor(job.created_by):
            result = import_file(
                job.created_by,
                Path(job.file.path),
                job.kind,
                file_name=job.original_name,
                approve=job.approve,
                progress=_job_progress(job),
            )
    except FileRejected as exc:
        fields = {
            "status": ImportJob.Status.FAILED,
            "problems": [_problem_json(p) for p in exc.problems],
            "problem_count": exc.count,
            "rows_total": exc.rows,
            "rows_checked": exc.rows,
        }
    except (Rejected, PermissionDenied) as exc:
        problems = getattr(exc, "problems", None) or [Problem(job.original_name, str(exc), "")]
        fields = {
            "status": ImportJob.Status.FAILED,
            "problems": [_problem_json(p) for p in problems],
            "problem_count": len(problems),
        }
    except Exception:
        log.exception("import job %s failed", job.pk)
        fields = {
            "status": ImportJob.Status.FAILED,
            "problems": [
                _problem_json(
                    Problem(
                        job.original_name,
                        "导入时发生内部错误，未写入任何数据；请联系管理员",
                        "an internal error stopped the import; nothing was written",
                    )
                )
            ],
            "problem_count": 1,
        }
    else:
        fields = {
            "status": ImportJob.Status.DONE,
            "result": asdict(result),
            "rows_total": result.rows,
            "rows_checked": result.rows,
            "rows_done": result.rows,
        }
    ImportJob.objects.filter(pk=job.pk).update(
        phase=ImportJob.Phase.FINISHED, finished_at=timezone.now(), **fields
    )
    return fields["status"]


def _problem_json(p: Problem) -> dict:
    return {"where": p.where, "zh": p.message_zh, "en": p.message_en}
