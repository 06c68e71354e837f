"""Marketo's HTTP API: one module per area, each a Blueprint of views that parse the
request, call one operation of the instance's model and wrap Marketo's envelope."""

from __future__ import annotations

from flask import Blueprint

from . import (
    activities,
    asset_versions,
    bulk,
    campaigns,
    content,
    custom_objects,
    emails,
    files,
    folders,
    forms,
    identity,
    landing_pages,
    leads,
    lists,
    objects,
    programs,
    smart,
    snippets,
    templates,
    usage,
)

BLUEPRINTS: tuple[Blueprint, ...] = (
    identity.bp, leads.bp, lists.bp, objects.bp, custom_objects.bp, activities.bp, bulk.bp,
    programs.bp, campaigns.bp, usage.bp, folders.bp, asset_versions.bp, emails.bp,
    templates.bp, landing_pages.bp, forms.bp, snippets.bp, files.bp, smart.bp,
    content.bp)
