"""What reading one image file gave: the bytes to publish and what to tell the editor.

The readers (``svg``, ``raster``) know nothing of chapters or lines: they return findings
without a place, and ``images.probe`` reports them at each use of the file. That lets one
reading of a file serve every chapter that shows it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """A problem or a change, phrased to follow "image images/x.svg "."""

    code: str
    message: str
    hint: str | None = None
    error: bool = True


@dataclass(frozen=True)
class Prepared:
    """A readable image (``media_type`` set) or the findings that refuse it."""

    media_type: str | None = None
    width: int = 0
    height: int = 0
    data: bytes | None = None  # None: publish the file as it is
    suffix: str | None = None  # the published file's suffix when it differs (".png")
    vector: bool = False
    title: str | None = None
    print_original: bool = False
    findings: tuple[Finding, ...] = ()

    @property
    def refused(self) -> bool:
        return self.media_type is None or any(f.error for f in self.findings)


def refused(code: str, message: str, hint: str | None = None) -> Prepared:
    return Prepared(findings=(Finding(code, message, hint),))
