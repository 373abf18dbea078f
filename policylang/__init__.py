"""policylang: 医保待遇规则语言 — parse, check, compile and settle benefit rules written in Chinese."""

__version__ = "0.1.0"
