"""Multilingual reply templates: Chinese sources, approved language variants, sandboxed rendering.

`templates.service.TemplateService` is what the console and the CLI call; see docs/templates.md.
"""
