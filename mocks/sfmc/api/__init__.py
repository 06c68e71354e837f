"""SFMC's HTTP API: one module per area (REST) and the SOAP package, each a Blueprint of
module-level views that parse the request, call one operation of the account's model and
render SFMC's answer."""

from __future__ import annotations

from flask import Blueprint

from . import auth, contacts, content, customobjects, engagement, ens, messaging, rows
from .soap import views as soap

BLUEPRINTS: tuple[Blueprint, ...] = (
    auth.bp, rows.bp, customobjects.bp, contacts.bp, engagement.bp, content.bp, ens.bp,
    messaging.bp, soap.bp)
