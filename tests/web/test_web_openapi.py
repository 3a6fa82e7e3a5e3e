"""schemathesis against /openapi.json: no generated request gets a server error.

Every operation of the API gets requests generated from its schema (valid and
invalid values, bounded: ``EXAMPLES`` per operation, a few hundred in all) and none
may answer with a 5xx.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from corridors.web.app import create_app  # noqa: E402

pytestmark = pytest.mark.slow

EXAMPLES = 20


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = create_app(store=tmp_path_factory.mktemp("schema") / "runs.duckdb", workers=1)
    yield app
    app.state.jobs.shutdown()


def test_no_server_error_on_any_operation(app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    tried: list[str] = []
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            tried.append(case.operation.label)
            case.call_and_validate(checks=[not_a_server_error])

        check()
    assert len(tried) >= 5 * len(operations)
