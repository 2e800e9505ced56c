"""The one memory check: sizes are refused from arithmetic, before anything is allocated."""
from __future__ import annotations

import subprocess
import sys

import pytest

from convviz.errors import ConvVizError
from convviz.ops import memory


def test_small_requests_pass_without_asking_the_system():
    assert memory.check_bytes(memory.ALWAYS_BYTES, "x") == memory.ALWAYS_BYTES


def test_a_request_beyond_the_free_memory_is_one_line_naming_it():
    with pytest.raises(ConvVizError) as caught:
        memory.check_bytes(10 ** 18, "the output")
    text = str(caught.value)
    assert text.startswith("the output would need 888.2 PiB, more than the ")
    assert "of memory free here" in text and "\n" not in text


def test_the_budget_is_positive_and_no_more_than_the_machine():
    assert 0 < memory.budget_bytes() <= 2 ** 50


def test_an_address_space_limit_lowers_the_budget():
    """Under ``ulimit -v`` (RLIMIT_AS) the budget is what is left under the limit."""
    code = ("import resource; resource.setrlimit(resource.RLIMIT_AS, (400 * 2**20, "
            "resource.RLIM_INFINITY)); from convviz.ops import memory; "
            "print(memory.budget_bytes())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert 0 <= int(out.stdout) < 400 * 2 ** 20


def test_a_memory_error_becomes_the_refusal():
    with pytest.raises(ConvVizError, match="conv2d ran out of memory"):
        with memory.refused("conv2d"):
            raise MemoryError


@pytest.mark.parametrize("nbytes, text", [(0, "0 bytes"), (1023, "1023 bytes"),
                                          (1536, "1.5 KiB"), (5 * 2 ** 30, "5.0 GiB")])
def test_sizes_are_written_for_people(nbytes, text):
    assert memory.size_text(nbytes) == text
