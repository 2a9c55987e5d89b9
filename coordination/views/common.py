"""What every coordination page needs besides the access helpers of coordination.access."""

from django.core.exceptions import ValidationError


def add_errors(form, error: ValidationError, fields: dict[str, str]) -> None:
    """Put each of the action's problems on the field its code belongs to."""
    for problem in error.error_list:
        field = fields.get(problem.code)
        form.add_error(field if field in form.fields else None, problem)
