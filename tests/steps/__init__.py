"""Step definitions of the Gherkin acceptance suite (features/), bound in
tests/test_features.py: `world` holds the scenario under construction and what the run
produced; `given` builds it, `when` runs it, `then` checks the vendors' state and the report."""
