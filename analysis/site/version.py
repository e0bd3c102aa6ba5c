"""Renderer version: part of every cache key, so bump it when execution semantics change."""

__version__ = "0.3.0"
