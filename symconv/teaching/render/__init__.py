"""Renderers: turn results (and later derivations) into text or LaTeX. They never compute."""
