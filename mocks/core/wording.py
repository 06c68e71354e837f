"""Pydantic's error kinds in plain words, shared by the mocks' fault validation and the
scenario loader, so a wrong type reads the same wherever it is written."""

from __future__ import annotations

TYPE_WORDS = {"string_type": "expected text", "int_type": "expected a whole number",
              "int_parsing": "expected a whole number", "float_type": "expected a number",
              "float_parsing": "expected a number", "finite_number": "expected a finite number",
              "bool_type": "expected true or false"}
BOUNDS = {"greater_than": "more than", "greater_than_equal": "at least",
          "less_than": "less than", "less_than_equal": "at most"}
