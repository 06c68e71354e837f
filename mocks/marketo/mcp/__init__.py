"""A mock of Adobe's Marketo Engage MCP server (vendor-apis.md §8.3; docs/mcp.md): the tools
of Adobe's list whose REST calls the Marketo mock serves, each making ONE REST call with the
caller's credentials through the Marketo mock, so limits, faults and the journal count it
as REST. `bridge` needs nothing beyond the base install; `server` and the tools need the MCP
SDK (`pip install 'vendorsim[mcp]'`)."""
