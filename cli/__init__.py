"""The `toc` command line: every command, on top of the plan, indicator, store and web layers.

Nothing below imports this package (tests/test_layers.py checks it). ``cli.main`` holds the
group and the light plan commands; the heavier groups are imported only when they run.
"""
