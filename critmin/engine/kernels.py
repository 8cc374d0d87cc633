"""Fresh Jupyter kernels in a fraction of a second: a zygote process that forks them.

Starting an IPython kernel and importing pandas and matplotlib costs ~3 s of CPU per notebook here,
more than the notebooks' own work. The zygote (`python -m critmin.engine.kernels`, one per build) imports
ipykernel and the heavy libraries once, then forks one kernel per request. Each kernel is a new
process with a new IPython shell and an empty namespace — fresh state, as with a cold start — but
its modules are already loaded. Protocol: one JSON request per line on the zygote's stdin
({connection_file, cwd, env}), the new kernel's pid per line on its stdout. When its stdin closes
(the build ended or died) the zygote kills the kernels it forked and exits; kernels also exit when
the zygote goes (ipykernel's parent poller)."""
from __future__ import annotations

import asyncio
import gc
import json
import os
import signal
import subprocess
import sys
import traceback

from critmin import config

# What every kernel imports anyway: ipykernel and the shell's own lazy imports and the libraries;
# config.KERNEL_PRELOAD adds the package modules the notebooks use (critmin.config reads
# REPORT_DIR, the one setting that differs between runs, when it is used, not when imported).
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "IPython.core.debugger",
           "IPython.core.completerlib", "IPython.core.magics", "IPython.core.oinspect",
           "IPython.extensions.storemagic", "sqlite3", "pydoc", "tornado.ioloop",
           "numpy", "pandas", "matplotlib", "matplotlib.pyplot", "matplotlib_inline.backend_inline",
           "yaml", "matplotlib.backends.backend_svg", "matplotlib.backends.backend_pdf",
           "fontTools.subset")
# No debugger in batch kernels: importing debugpy/pydevd costs ~1 s per kernel. A None entry in
# sys.modules makes `import debugpy` fail, which ipykernel treats as "debugger not available".
NO_IMPORT = ("debugpy",)


def _child(req: dict) -> None:
    """In the forked process: become a kernel serving req['connection_file']; never returns."""
    code = 0
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the kernel may run subprocesses
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(2, 1)                                    # stdout was the zygote's reply pipe
        sys.stdin, sys.stdout = open(os.devnull), sys.stderr
        os.environ.update(req.get("env", {}))
        os.environ["JPY_PARENT_PID"] = str(os.getppid())
        os.chdir(req["cwd"])
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        # parent_handle: exit when the zygote goes (and no console banner about Ctrl-C)
        app.initialize(["-f", req["connection_file"], f"--IPKernelApp.parent_handle={os.getppid()}"])
        app.start()
    except BaseException:  # report, and never fall back into the zygote's loop
        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


def serve() -> int:
    """The zygote's loop (single-threaded, so forking is safe)."""
    import importlib

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)     # kernels are reaped automatically
    gc.disable()  # nothing to collect while importing; frozen below, so kernels never rescan it
    for name in NO_IMPORT:
        sys.modules[name] = None
    for name in PRELOAD + config.KERNEL_PRELOAD:
        importlib.import_module(name)
    module, func = config.KERNEL_WARM_UP.split(":")
    getattr(importlib.import_module(module), func)()
    gc.freeze()
    gc.enable()
    reply = sys.stdout
    reply.write("ready\n")
    reply.flush()
    children = []
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(req)
        children.append(pid)
        reply.write(f"{pid}\n")
        reply.flush()
    for pid in children:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return 0


class ForkedKernel:
    """What nbclient needs of a kernel manager, for a kernel forked by the zygote."""

    has_kernel = True

    def __init__(self, pid: int, connection_file: str):
        self.pid, self.connection_file = pid, connection_file

    def alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    async def is_alive(self) -> bool:
        return self.alive()

    async def interrupt_kernel(self) -> None:
        if self.alive():
            os.kill(self.pid, signal.SIGINT)

    async def shutdown_kernel(self, now: bool = True, restart: bool = False) -> None:
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
        try:
            os.unlink(self.connection_file)
        except FileNotFoundError:
            pass


class Zygote:
    """The build's handle on the zygote process. start() may be called early, outside any event
    loop (the build starts it first thing, so that its imports overlap the build's own work)."""

    def __init__(self, env: dict):
        self.env = env
        self.proc = None
        self.ready = False
        self.lock = asyncio.Lock()

    def start(self) -> "Zygote":
        if self.proc is None:
            self.proc = subprocess.Popen([sys.executable, "-Xfrozen_modules=off", "-m", "critmin.engine.kernels"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=self.env)
        return self

    async def _line(self) -> bytes:
        return await asyncio.get_running_loop().run_in_executor(None, self.proc.stdout.readline)

    async def fork(self, connection_file: str, cwd: str, env: dict) -> int:
        async with self.lock:
            self.start()
            if not self.ready:
                if (await self._line()).strip() != b"ready":
                    raise RuntimeError("the kernel zygote failed to start (see the messages above)")
                self.ready = True
            req = json.dumps({"connection_file": connection_file, "cwd": cwd, "env": env})
            self.proc.stdin.write(req.encode() + b"\n")
            self.proc.stdin.flush()
            line = await self._line()
        if not line.strip().isdigit():
            raise RuntimeError("the kernel zygote stopped answering")
        return int(line)

    def close(self, wait: bool = False) -> None:
        """Closing its stdin makes the zygote kill its kernels and exit; one that never served a
        kernel (the build found nothing to run, or stopped early) is just killed. Not waited for
        unless asked (wait: a failed build, whose kernels may still be starting)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        if not self.ready:
            self.proc.kill()
            self.proc.wait()
            return
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        if wait:
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


if __name__ == "__main__":
    sys.exit(serve())
