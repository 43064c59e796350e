"""The one download path (palermo.data.download): http(s) only, redirects within the host,
a read timeout and a total deadline, errors in words. Loopback servers only."""

import pytest

from tests.conftest import run
from tests.loopback import TIP_PATH, Server, tip_fixture

pytestmark = pytest.mark.unit


# R4: redirects and credentials
@pytest.mark.review("reliability-2026-12", "R4")
def test_update_refuses_a_redirect_to_another_host_and_credentials(
    untc_server,
    data_dir,
):
    other = Server()
    try:
        other.serve(TIP_PATH, tip_fixture())
        untc_server.serve(TIP_PATH, status=302, headers={"Location": other.base + TIP_PATH})
        r = run("sources", "update", "TIP", "--base-url", untc_server.base)
        assert r.exit_code == 1 and "another host" in r.stderr and not other.hits
    finally:
        other.close()
    base = untc_server.base.replace("http://", "http://me:s3cret@")
    r = run("sources", "update", "TIP", "--base-url", base)
    assert r.exit_code == 2 and "s3cret" not in r.output


# R6: a trickling server cannot hold an update
@pytest.mark.review("reliability-2026-12", "R6")
def test_update_has_a_total_deadline(untc_server, data_dir):
    untc_server.serve(TIP_PATH, tip_fixture(), trickle=(200, 0.1))  # about 30 s in all
    r = run("sources", "update", "TIP", "--base-url", untc_server.base, "--timeout", "1")
    assert r.exit_code == 1 and "not complete within 10 s" in r.stderr
