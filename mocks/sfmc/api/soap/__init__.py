"""SFMC's SOAP API (vendor-apis.md §7.1): the wire (xml), requests read into the model's
(requests), answers rendered from the model's (render), the generated WSDL (wsdl) and the
views (views)."""
