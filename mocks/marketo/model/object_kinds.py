"""The standard B2B object types of a Marketo instance, as their describe calls show them:
companies, opportunities, opportunity roles, named accounts, named account lists and sales
persons (Adobe's Lead Database reference, B-B2B-01)."""

from __future__ import annotations

from .fields import FieldDef
from .objects import ObjectKind


def _f(name: str, display: str, data_type: str = "string", length: int | None = None,
       read_only: bool = False) -> FieldDef:
    if data_type in ("string", "email", "phone", "url") and length is None:
        length = 255
    return FieldDef(name, display, data_type, length, read_only=read_only)


def _meta(id_field: str) -> tuple[FieldDef, ...]:
    id_def = (_f("id", "Id", "integer", read_only=True) if id_field == "id"
              else _f("marketoGUID", "Marketo GUID", "string", 36, read_only=True))
    return (id_def, _f("createdAt", "Created At", "datetime", read_only=True),
            _f("updatedAt", "Updated At", "datetime", read_only=True))


COMPANY = ObjectKind(
    name="Company", description="Company object", id_field="id",
    dedupe=("externalCompanyId",),
    searchable=(("externalCompanyId",), ("id",), ("company",)),
    fields=(*_meta("id"),
            _f("externalCompanyId", "External Company Id", "string", 100, read_only=True),
            _f("company", "Company Name"), _f("website", "Website", "url"),
            _f("mainPhone", "Main Phone", "phone"),
            _f("annualRevenue", "Annual Revenue", "currency"),
            _f("numberOfEmployees", "Num Employees", "integer"),
            _f("industry", "Industry"), _f("sicCode", "SIC Code", "string", 40),
            _f("billingStreet", "Billing Address", "text"),
            _f("billingCity", "Billing City"), _f("billingState", "Billing State"),
            _f("billingCountry", "Billing Country"),
            _f("billingPostalCode", "Billing Postal Code"),
            _f("externalSalesPersonId", "External Sales Person Id", "string", 100)))

OPPORTUNITY = ObjectKind(
    name="Opportunity", description="Opportunity object", id_field="marketoGUID",
    dedupe=("externalOpportunityId",),
    searchable=(("externalOpportunityId",), ("marketoGUID",), ("externalCompanyId",),
                ("externalSalesPersonId",)),
    fields=(*_meta("marketoGUID"),
            _f("externalOpportunityId", "External Opportunity Id", "string", 50,
               read_only=True),
            _f("name", "Name"), _f("description", "Description", "text"),
            _f("type", "Type"), _f("amount", "Amount", "currency"),
            _f("closeDate", "Close Date", "date"), _f("isClosed", "Is Closed", "boolean"),
            _f("isWon", "Is Won", "boolean"), _f("stage", "Stage"),
            _f("probability", "Probability", "integer"),
            _f("expectedRevenue", "Expected Revenue", "currency"),
            _f("fiscalQuarter", "Fiscal Quarter", "integer"),
            _f("fiscalYear", "Fiscal Year", "integer"),
            _f("leadSource", "Lead Source"), _f("nextStep", "Next Step"),
            _f("lastActivityDate", "Last Activity Date", "date"),
            _f("externalCompanyId", "External Company Id", "string", 100),
            _f("externalSalesPersonId", "External Sales Person Id", "string", 100)))

OPPORTUNITY_ROLE = ObjectKind(
    name="Opportunity Role", description="Opportunity Role object", id_field="marketoGUID",
    dedupe=("externalOpportunityId", "leadId", "role"),
    searchable=(("externalOpportunityId", "leadId", "role"), ("marketoGUID",), ("leadId",),
                ("externalOpportunityId",)),
    fields=(*_meta("marketoGUID"),
            _f("externalOpportunityId", "External Opportunity Id", "string", 50,
               read_only=True),
            _f("leadId", "Lead Id", "integer", read_only=True),
            _f("role", "Role", read_only=True), _f("isPrimary", "Is Primary", "boolean")),
    relationships=({"field": "leadId", "type": "child",
                    "relatedTo": {"name": "Lead", "field": "id"}},
                   {"field": "externalOpportunityId", "type": "child",
                    "relatedTo": {"name": "Opportunity", "field": "externalOpportunityId"}}))

NAMED_ACCOUNT = ObjectKind(
    name="NamedAccount", description="Named Account object", id_field="marketoGUID",
    dedupe=("name",),
    searchable=(("name",), ("marketoGUID",), ("domainName",)),
    fields=(*_meta("marketoGUID"), _f("name", "Name"),
            _f("domainName", "Domain Name"), _f("annualRevenue", "Annual Revenue", "currency"),
            _f("numberOfEmployees", "Num Employees", "integer"), _f("industry", "Industry"),
            _f("city", "City"), _f("state", "State"), _f("country", "Country"),
            _f("sicCode", "SIC Code", "string", 40), _f("logoUrl", "Logo URL", "url"),
            _f("accountOwnerId", "Account Owner Id", "integer"),
            _f("membershipCount", "Membership Count", "integer", read_only=True),
            _f("score1", "Score 1", "integer"), _f("score2", "Score 2", "integer")))

NAMED_ACCOUNT_LIST = ObjectKind(
    name="NamedAccountList", description="Named Account List object", id_field="marketoGUID",
    dedupe=("name",), searchable=(("name",), ("marketoGUID",)),
    fields=(*_meta("marketoGUID"), _f("name", "Name"),
            _f("type", "Type", read_only=True)),
    actions=("createOnly", "updateOnly", "createOrUpdate"))

SALES_PERSON = ObjectKind(
    name="SalesPerson", description="Sales Person object", id_field="id",
    dedupe=("externalSalesPersonId",),
    searchable=(("externalSalesPersonId",), ("id",), ("email",)),
    fields=(*_meta("id"),
            _f("externalSalesPersonId", "External Sales Person Id", "string", 100,
               read_only=True),
            _f("email", "Email", "email"), _f("firstName", "First Name"),
            _f("lastName", "Last Name"), _f("phone", "Phone", "phone"),
            _f("mobilePhone", "Mobile Phone", "phone"), _f("fax", "Fax", "phone"),
            _f("title", "Title")))

# the REST path stem of each kind, and the seed/snapshot key
STANDARD_KINDS: dict[str, ObjectKind] = {
    "companies": COMPANY, "opportunities": OPPORTUNITY, "opportunities/roles": OPPORTUNITY_ROLE,
    "namedaccounts": NAMED_ACCOUNT, "namedAccountLists": NAMED_ACCOUNT_LIST,
    "salespersons": SALES_PERSON,
}
SEED_KEYS = {"companies": "companies", "opportunities": "opportunities",
             "opportunities/roles": "opportunityRoles", "namedaccounts": "namedAccounts",
             "namedAccountLists": "namedAccountLists", "salespersons": "salesPersons"}
