"""`vendorsim mcp`: an MCP server (the official SDK) whose tools drive the mocks, embedded or
running elsewhere (docs/mcp.md). Needs the `mcp` extra; the base install never imports it."""
