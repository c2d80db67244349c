"""The committed SDL (`schema/schema.graphql`) matches the code; every field is described."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLInputObjectType, GraphQLObjectType

from db.config import Settings
from schema.schema import build_schema

SDL = Path(__file__).parent.parent / "schema" / "schema.graphql"


def test_the_committed_sdl_is_current():
    printed = build_schema(Settings(secret_key="x")).as_str() + "\n"
    assert SDL.read_text() == printed, "schema changed: run `make schema` and commit schema.graphql"


def test_every_type_field_and_argument_is_described():
    schema = build_schema(Settings(secret_key="x"))._schema
    missing = []
    for name, graphql_type in schema.type_map.items():
        if name.startswith("_"):
            continue  # introspection and federation's own types
        if not isinstance(graphql_type, GraphQLObjectType | GraphQLInputObjectType):
            continue
        if not graphql_type.description:
            missing.append(name)
        for field_name, field in graphql_type.fields.items():
            if field_name.startswith("_"):
                continue
            if not field.description:
                missing.append(f"{name}.{field_name}")
            for arg_name, arg in getattr(field, "args", {}).items():
                if not arg.description:
                    missing.append(f"{name}.{field_name}({arg_name})")
    assert missing == []
