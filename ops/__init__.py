"""Running the production shape outside the test process: CI's smoke test, the load test, the fault tests."""
