import os
import signal
import threading

import pytest

from figtab.flows.interrupts import interrupt_after


def test_ctrl_c_during_the_block_comes_after_it():
    done = []
    with pytest.raises(KeyboardInterrupt):
        with interrupt_after():
            os.kill(os.getpid(), signal.SIGINT)
            done.append("stored")
            done.append("counted")
    assert done == ["stored", "counted"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_quiet_block_raises_nothing_and_leaves_the_handler():
    with interrupt_after():
        pass
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_outside_the_main_thread_the_block_just_runs():
    seen = []

    def work():
        with interrupt_after():
            seen.append(signal.getsignal(signal.SIGINT))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [signal.default_int_handler]
