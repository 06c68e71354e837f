"""The engine's discrete-event scheduler: one virtual clock, an event queue, and processes.

Each dataflow (destination x audience) and each source is a *process*: a thread that runs
only when the scheduler hands it the turn, and gives the turn back whenever it waits. A wait
(a retry delay, a `Retry-After`, Marketo's quota until midnight, a vendor's latency) is never
a clock advance: it schedules the process's resumption at `now + seconds` and lets every
other event due earlier run first. So one dataflow waiting two days for its quota never holds
back another, and the clock only ever moves forward (asserted on every event).

Why threads rather than generators: the connectors are ordinary blocking HTTP code (the same
code points at a real vendor by configuration); a thread can block inside it, in the middle
of a request if need be (a latency fault sleeps the mock's clock *inside* the request, which
keeps the call in flight, so parallel dataflows can see Marketo's 615). Only one thread runs
at a time, so the shared state needs no locks: a turn changes hands only at `sleep`.

Calls at the same instant interleave fairly: `pace()` before each vendor call gives the turn
to any other process due now (round robin by the order they became due), which is how two
dataflows into one Marketo instance share its 100-calls-per-20-s window instead of one
starving the other.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

EPSILON = 1e-6


class ClockWentBackwards(AssertionError):
    """An event earlier than the clock: a bug in the engine, never allowed to pass."""


class Process:
    """One dataflow or source: a mailbox of jobs worked through in order by its own thread."""

    def __init__(self, scheduler: Scheduler, name: str) -> None:
        self.scheduler = scheduler
        self.name = name
        self.jobs: deque[Callable[[], object]] = deque()
        self._turn = threading.Event()
        self.parked = True  # waiting for a job (not for time)
        self.finished = False
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._main, name=f"vendorsim:{name}", daemon=True)
        self.thread.start()

    def _main(self) -> None:
        self._turn.wait()
        self._turn.clear()
        try:
            while not self.scheduler.stopping:
                if not self.jobs:
                    self.parked = True
                    self._give_back_and_wait()
                    continue
                self.jobs.popleft()()
        except BaseException as exc:  # noqa: BLE001 - reported by the scheduler's thread
            self.error = exc
        finally:
            self.finished = True
            self.scheduler._handed_back.set()

    def _give_back_and_wait(self) -> None:
        self.scheduler._handed_back.set()
        self._turn.wait()
        self._turn.clear()


class Scheduler:
    """The event queue; `run()` works through it on the caller's thread."""

    def __init__(self, start: float, set_clock: Callable[[float], None]) -> None:
        self.now = start
        self._set_clock = set_clock
        self._queue: list[tuple[float, int, Any]] = []
        self._seq = itertools.count()
        self._handed_back = threading.Event()
        self._current: Process | None = None
        self.stopping = False
        self.running = False
        self.processes: dict[str, Process] = {}
        self.progress: Callable[[float], None] | None = None

    # -- scheduling ----------------------------------------------------------------------
    def at(self, when: float, action: Callable[[], object]) -> None:
        """Run `action` (on the scheduler's thread) at virtual time `when`."""
        if when < self.now - EPSILON:
            raise ClockWentBackwards(f"an event at {when} is before the clock ({self.now})")
        heapq.heappush(self._queue, (max(when, self.now), next(self._seq), action))

    def process(self, name: str) -> Process:
        found = self.processes.get(name)
        if found is None:
            found = self.processes[name] = Process(self, name)
        return found

    def give(self, name: str, job: Callable[[], object], when: float | None = None) -> None:
        """Queue a job for the named process at `when` (default now). A parked process takes
        it at once: handed the turn right there, so what a step starts runs at that step, in
        timeline order; a busy one (waiting) works it off after what it is doing."""
        proc = self.process(name)

        def deliver() -> None:
            proc.jobs.append(job)
            if proc.parked:
                proc.parked = False
                self._switch_to(proc)

        when = self.now if when is None else when
        if self.running and not self.in_process() and when <= self.now + EPSILON:
            deliver()
        else:
            self.at(when, deliver)

    def _resume(self, proc: Process) -> None:
        heapq.heappush(self._queue, (self.now, next(self._seq), proc))

    # -- inside a process ----------------------------------------------------------------
    def in_process(self) -> bool:
        return self._current is not None and threading.current_thread() is \
            self._current.thread

    def sleep(self, seconds: float) -> bool:
        """Wait `seconds` of virtual time inside a process: the turn goes to whatever is due
        earlier. False when not called from a process (the caller then moves the clock)."""
        if not self.in_process():
            return False
        proc = self._current
        assert proc is not None
        heapq.heappush(self._queue, (self.now + max(0.0, seconds), next(self._seq), proc))
        proc._give_back_and_wait()
        return True

    def pace(self) -> None:
        """Before a vendor call: let other processes due at this same instant go first."""
        if self.in_process() and self._queue and self._queue[0][0] <= self.now + EPSILON:
            self.sleep(0.0)

    # -- the loop --------------------------------------------------------------------------
    def run(self) -> None:
        """Work through the queue until nothing is left to do."""
        self.running = True
        while self._queue:
            when, _, item = heapq.heappop(self._queue)
            if when < self.now - EPSILON:
                raise ClockWentBackwards(f"event at {when} popped after the clock ({self.now})")
            if when > self.now:
                self._set_clock(when)
                self.now = when
            if self.progress:
                self.progress(self.now)
            if isinstance(item, Process):
                self._switch_to(item)
            else:
                item()

    def _switch_to(self, proc: Process) -> None:
        self._current = proc
        self._handed_back.clear()
        proc._turn.set()
        self._handed_back.wait()
        self._current = None
        if proc.error is not None:
            error, proc.error = proc.error, None
            raise error

    def stop(self) -> None:
        """End every process thread (they are parked or finished when the queue is empty)."""
        self.stopping = True
        for proc in self.processes.values():
            if not proc.finished:
                self._handed_back.clear()
                proc._turn.set()
                self._handed_back.wait(timeout=5)
