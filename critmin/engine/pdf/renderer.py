"""The build's pool of PDF workers: parts laid out in parallel, once each, cached by content."""
from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from critmin.engine.pdf.layout import folio, render_part
from critmin.engine.pdf.parts import Part, _code_version

# The folio is made in this many chunks whatever the number of workers: each chunk is its own
# WeasyPrint document (its own font subset), so cutting it by worker count would make
# report.pdf depend on --jobs. Two matches the default --jobs and this machine's cores.
FOLIO_CHUNKS = 2


def _relay(outer, inner) -> None:
    """Pass the pool's result on; a part cancelled by close() (a build that failed) ends quietly."""
    from concurrent.futures import CancelledError

    if inner.cancelled():
        outer.set_exception(CancelledError())
    elif inner.exception() is not None:
        outer.set_exception(inner.exception())
    else:
        outer.set_result(inner.result())


class Renderer:
    """Renders parts in worker processes, each part once: a part already rendered, submitted or
    cached is not rendered again. Parts sent while notebooks still run are laid out meanwhile.
    submit() never blocks (a feeder thread hands parts to the pool, whose first worker takes a
    moment to start), so it can be called from the build's event loop and render thread alike.
    As with any multiprocessing pool, a script that uses this needs the usual
    `if __name__ == "__main__":` guard (python -m critmin.engine.build has it)."""
    enabled = True

    def __init__(self, workers: int = 2, cache_dir: Path | None = None):
        import multiprocessing
        import multiprocessing.forkserver
        import queue
        import threading
        from concurrent.futures import ProcessPoolExecutor

        # Workers are forked from a fork server that has imported WeasyPrint once (≈0.5 s), not
        # from this process, which runs threads and an event loop; server and workers run at a
        # lower priority (critmin.engine.lowpriority): the kernels, which the build waits for, go first.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["critmin.engine.lowpriority", "weasyprint", "critmin.engine.pdf.layout"])
        multiprocessing.forkserver.ensure_running()  # imports now, on a core the zygote leaves free
        self.workers = max(1, workers)
        self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        self.cache = Path(cache_dir) if cache_dir else None
        self.futures: dict = {}
        self.lock = threading.Lock()
        self.queue: queue.Queue = queue.Queue()   # (future, function, args); None ends the feeder
        self.feeder = threading.Thread(target=self._feed, daemon=True)
        self.opened = False

    def open(self) -> None:
        """Start laying out parts (the build calls it once its first notebook has run: until
        then the cores are busy starting the kernels)."""
        with self.lock:
            if not self.opened:
                self.opened = True
                self.feeder.start()

    def _feed(self) -> None:
        while (item := self.queue.get()) is not None:
            outer, fn, args = item
            if not outer.set_running_or_notify_cancel():
                continue
            try:
                inner = self.pool.submit(fn, *args)
            except Exception as exc:  # noqa: BLE001 (the pool is shut down: the caller learns why)
                outer.set_exception(exc)
                continue
            inner.add_done_callback(functools.partial(_relay, outer))

    def _later(self, fn, *args):
        from concurrent.futures import Future

        fut = Future()
        self.queue.put((fut, fn, args))
        return fut

    def _cached(self, key: str) -> dict | None:
        if self.cache is None:
            return None
        entry = self.cache / f"pdf-{key}"
        try:
            meta = json.loads((entry / "part.json").read_text(encoding="utf-8"))
            meta["pdf"] = (entry / "part.pdf").read_bytes()
        except (OSError, ValueError):
            return None
        entry.touch()
        return meta

    def _store(self, key: str, result: dict) -> None:
        if self.cache is None:
            return
        import os
        import shutil
        import tempfile

        self.cache.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.cache))
        try:
            (tmp / "part.pdf").write_bytes(result["pdf"])
            (tmp / "part.json").write_text(json.dumps({"pages": result["pages"]}), encoding="utf-8")
            shutil.rmtree(self.cache / f"pdf-{key}", ignore_errors=True)
            os.rename(tmp, self.cache / f"pdf-{key}")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _get(self, key: str, fn, *args):
        """The future for key: from the cache, already under way, or queued now (then stored in
        the cache when done)."""
        from concurrent.futures import Future

        with self.lock:
            if key in self.futures:
                return self.futures[key]
            cached = self._cached(key)
            if cached is not None:
                fut = Future()
                fut.set_result(cached)
            else:
                fut = self._later(fn, *args)
                fut.add_done_callback(lambda f: f.exception() is None and self._store(key, f.result()))
            self.futures[key] = fut
            return fut

    def submit(self, part: Part) -> None:
        self._get(part.key, render_part, part.html)

    def result(self, part: Part) -> dict:
        fut = self._get(part.key, render_part, part.html)
        self.open()
        return fut.result()

    def folio(self, n: int, css: str, title: str) -> list:
        """Futures of the folio (see folio()) in FOLIO_CHUNKS chunks, each cached like a part."""
        size = max(1, -(-n // FOLIO_CHUNKS))
        futures = []
        for first in range(1, n + 1, size):
            last = min(n, first + size - 1)
            key = hashlib.sha256(json.dumps([_code_version(), "folio", first, last, n, css, title])
                                 .encode()).hexdigest()
            futures.append(self._get(key, folio, first, last, n, css, title))
        self.open()
        return futures

    def close(self) -> None:
        self.queue.put(None)
        if self.feeder.is_alive():
            self.feeder.join()
        self.pool.shutdown(wait=True, cancel_futures=True)


class NoRenderer:
    """Stands in for Renderer when the build writes no PDF (build --no-pdf): nothing is laid out."""
    enabled = False
    futures: dict = {}

    def open(self) -> None:
        pass

    def submit(self, part) -> None:
        pass

    def close(self) -> None:
        pass
