"""The add-in: a thin xlwings skin over ``xlcoop.checks`` and ``xlcoop.solve``.

It reads inputs by defined name, runs the checks or a solver on the reference model, and writes
back only to the cells it owns (``owned.OWNED``: the solver result cells and the findings table
on the Controles sheet), then reports what it changed. A run that fails changes no cell.

Modules: ``owned`` (the cells the add-in may write), ``cells`` (reading the inputs from a Book),
``run`` (the scripts' logic, engine-independent), ``lite`` (the ``@script`` functions for
xlwings Lite), ``desktop`` (RunPython entry points for a classic .xlsm), ``jsonbook`` (a
licence-free stand-in of the xlwings Book subset used) and ``xlsx`` (openpyxl bridges for the
command line and the tests; not needed inside Excel).
"""
