"""The API's docs page in the browser: Swagger UI reads the served OpenAPI document and draws
every operation, with no parser error (a document with a key given twice once left the page
with nothing but "Parser error: duplicated mapping key")."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_docs_page_draws_the_operations(new_page, screenshot_dir):
    page = new_page(locale="en-US")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any(path.endswith("/quotes/{quote_id}/pdf") for path in paths)
    assert len(paths) > 50
    assert page.locator(".errors-wrapper").count() == 0
    assert "Parser error" not in page.content()

    # the quote PDF's operation opens and names its PDF answer
    pdf = page.locator(".opblock-get", has_text="/quotes/{quote_id}/pdf").first
    pdf.locator(".opblock-summary").click()
    pdf.locator(".responses-table").first.wait_for()
    assert "application/pdf" in pdf.inner_text()
    page.screenshot(path=str(screenshot_dir / "api-docs.png"))
    assert errors == []
