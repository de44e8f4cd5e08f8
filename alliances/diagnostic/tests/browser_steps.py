"""What a person does in the browser to take a diagnostic, shared by the browser tests."""

from __future__ import annotations

from typing import Any


def answer_every_section(page: Any, answers: dict[str, Any]) -> None:
    """Fill each page of the diagnostic with `answers` and go on, up to the result."""
    while "/resultat/" not in page.url:
        form = page.locator("form.take-form")
        for question_id, answer in answers.items():
            field = form.locator(f"[name='q-{question_id}']")
            if field.count() == 0:
                continue
            kind = field.first.get_attribute("type") or field.first.evaluate("e => e.tagName")
            if kind == "radio":
                form.locator(f"[name='q-{question_id}'][value='{answer}']").check()
            elif kind == "checkbox":
                for value in answer:
                    form.locator(f"[name='q-{question_id}'][value='{value}']").check()
            elif kind.upper() == "SELECT":
                field.select_option(str(answer))
            else:
                field.fill(str(answer))
        page.locator("button[value=next]").click()
        page.wait_for_load_state()
