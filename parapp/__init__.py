"""parapp: PAR Index self-assessment and remediation plans for commune offices."""

__version__ = "0.1.0"
