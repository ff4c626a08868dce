import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


def assert_database_rejects(instance) -> None:
    """The database itself refuses the row (save() skips full_clean)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


def assert_invalid(instance, message: str) -> None:
    """full_clean() refuses the object with a French message containing ``message``."""
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    assert any(message in text for text in error.value.messages), error.value.messages
