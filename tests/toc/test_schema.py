"""The generated docs stay in sync with toc.kinds, and the JSON Schema agrees with the loader."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from tests.conftest import REPO, VVSG_PLAN, small_plan
from toc.document import encode
from toc.schema import data_model_markdown, plan_json_schema

DOCS = REPO / "docs"


def test_generated_docs_are_up_to_date():
    assert json.loads((DOCS / "plan.schema.json").read_text()) == plan_json_schema(), (
        "run `python -m toc.schema` to regenerate docs/plan.schema.json"
    )
    assert (DOCS / "data-model.md").read_text() == data_model_markdown(), (
        "run `python -m toc.schema` to regenerate docs/data-model.md"
    )


def test_schema_accepts_valid_plans():
    jsonschema.validate(encode(small_plan()), plan_json_schema())


def test_schema_accepts_the_vvsg_plan():
    if not VVSG_PLAN.exists():
        pytest.fail(f"{VVSG_PLAN} is missing")
    doc = yaml.safe_load(VVSG_PLAN.read_text())
    jsonschema.validate(json.loads(json.dumps(doc, default=str)), plan_json_schema())


def test_schema_rejects_unknown_fields_and_kinds():
    doc = encode(small_plan())
    doc["nodes"]["Strategy"][0]["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, plan_json_schema())
    doc = encode(small_plan())
    doc["nodes"]["Gizmo"] = []
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, plan_json_schema())
