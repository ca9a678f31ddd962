"""Sync packages (`.cchc`): signed ZIP files exchanged on USB sticks (format layer only)."""

from __future__ import annotations

from parapp.sync.safety import PackageError, ZipLimits, check_zip

__all__ = ["PackageError", "ZipLimits", "check_zip"]
