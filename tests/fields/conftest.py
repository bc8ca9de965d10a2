import pytest

from gendan.fields import services
from tests.fields.definitions import PLANT, SEGMENT


@pytest.fixture
def plant(org):
    """A required number on leads."""
    return services.field_create(actor=org.admin, data={**PLANT, "required": True})


@pytest.fixture
def segment(org):
    """A single choice on deals."""
    return services.field_create(actor=org.admin, data=SEGMENT)
