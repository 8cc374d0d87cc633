"""Imported for its effect: lowers the priority of the process that imports it (os.nice(5)).

The PDF fork server imports it first (critmin.engine.pdf.renderer), so the server and every worker it forks lay out
PDF parts at a lower priority than the notebook kernels, which the build waits for."""
import os

os.nice(5)
