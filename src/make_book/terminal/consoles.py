"""The two consoles every command prints to: diagnostics and progress on stderr, what was
made on stdout, both printing text exactly as written (no markup, emoji or highlighting).
"""

from __future__ import annotations

from rich.console import Console

# soft_wrap: a diagnostic stays on one line whatever the terminal's width, so editors and CI
# log viewers can jump to `path:line`. markup, emoji and highlight off: a message quoting the
# manuscript (`[bold]`, `:100:`, a number) prints as written, never restyled or replaced.
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)
out = Console(highlight=False, soft_wrap=True, markup=False, emoji=False)
