"""The WPS add-in for the current user: ``xltargets wps install | status | remove`` (pure Python)."""

from .install import WpsHost, detect_host, install, remove, source_dir, status

__all__ = ["WpsHost", "detect_host", "install", "status", "remove", "source_dir"]
