"""Bombora's HTTP API: module-level Blueprints whose views parse the request, call one
operation of the client's model and answer."""

from __future__ import annotations

from flask import Blueprint

from . import auth, lists, webhooks

BLUEPRINTS: tuple[Blueprint, ...] = (auth.bp, lists.bp, webhooks.bp)
