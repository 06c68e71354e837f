"""Marketo's Asset API as one world: the folder tree (areas, workspaces, folders, programs),
the assets that live in it, and the settings programs are made against (`world.py` ties
them together)."""
