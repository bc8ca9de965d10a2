import pytest

from gendan.deals import services as deal_services
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


@pytest.fixture
def second_pipeline(org):
    """A pipeline besides the default one (its own stages)."""
    return deal_services.pipeline_create(
        actor=org.admin, data={"name": "Projects", "name_zh": "项目"}
    )
