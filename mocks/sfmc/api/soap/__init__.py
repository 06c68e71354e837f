"""SFMC's SOAP API (vendor-apis.md §7.1): the wire (xml), the object table (catalog),
Retrieve, the writes, the generated WSDL and the views (api)."""
