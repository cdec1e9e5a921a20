"""A reader types in the search box: titles are suggested as they type, chosen with the
keyboard alone; a typo is searched as what was meant; the facets keep their other values."""

from tests.research.fixtures import english_index, home, locales, make_innovation, make_report, research_index  # noqa: F401


def test_suggestions_by_keyboard_and_did_you_mean(page, live_server, research_index):  # noqa: F811
    make_report(research_index, title="Estudio de demanda de microseguros", summary="Clientes y pólizas.")
    make_innovation(title="Microseguro simplificado", slug="microseguro")
    make_innovation(title="Microseguro reservado", slug="reservado", visibility="staff")

    page.goto("/search/")
    page.locator("#search-q").press_sequentially("microseg", delay=40)
    options = page.locator("#search-q-suggestions [role=option]")
    options.first.wait_for()
    assert sorted(" ".join(text.split()) for text in options.all_inner_texts()) == sorted(
        ["Investigación Estudio de demanda de microseguros", "Innovación Microseguro simplificado"]
    )  # the staff-only innovation is not suggested to the public
    assert page.get_attribute("#search-q", "aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#search-q", "aria-activedescendant") == "suggestion-0"
    first = options.first.inner_text()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if "Microseguro simplificado" in first:
        assert page.url.endswith("/pilots/microseguro/")
    else:
        assert "/research/" in page.url

    page.goto("/search/?q=microsegros")
    assert "se muestran resultados para" in page.locator(".corrected").inner_text()
    assert page.locator(".search-hit").count() == 2
    page.click("[data-facet=kind] a[data-value=research]")
    assert page.locator(".search-hit").count() == 1
    assert page.locator("[data-facet=kind] a").count() == 2  # the other value is kept, with its count
