"""policylang: 医保待遇规则语言 — parse, check, compile and settle benefit rules written in Chinese."""

from policylang.api import Checked, PolicyError, check_path, compile_path, settle

__all__ = ["Checked", "PolicyError", "check_path", "compile_path", "settle"]
__version__ = "0.1.0"
