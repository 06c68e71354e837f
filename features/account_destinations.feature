@accounts
Feature: Bombora and Demandbase account-audience destinations
  Bombora (behaviour.md B-BOM-*) and Demandbase (B-DB-*) take account audiences from the
  segmentation service; each activated audience becomes one vendor list named after it, built
  from the accounts' domains. The same rules hold for both vendors, so most scenarios run once
  per vendor.

  Background:
    Given the accounts:
      | accountId | name    | domain          | industry |
      | A1        | Acme    | acme.example    | Retail   |
      | A2        | Globex  | globex.example  | Retail   |
      | A3        | Initech | initech.example | Software |
    And the account audience "Retail accounts" of accounts whose industry is "Retail"

  @B-BOM-01 @B-DB-01
  Scenario Outline: People audiences cannot be activated to account destinations
    Given the profiles:
      | personId | email            | firstName | lastName | seniority |
      | P1       | ana@acme.example | Ana       | Silva    | VP        |
    And the people audience "Decision makers" of profiles whose seniority is "VP"
    And a <vendor> dataflow for the audience "Decision makers"
    When the audiences are activated
    Then the activation is refused because "account audiences only"
    And the <vendor> list "Decision makers" does not exist

    Examples:
      | vendor     |
      | Bombora    |
      | Demandbase |

  @B-BOM-02 @B-DB-02
  Scenario Outline: Audiences from custom uploads cannot be activated to account destinations
    Given the custom upload "Uploaded accounts" of the accounts "A1, A2"
    And a <vendor> dataflow for the audience "Uploaded accounts"
    When the audiences are activated
    Then the activation is refused because "segmentation service only"
    And the <vendor> list "Uploaded accounts" does not exist

    Examples:
      | vendor     |
      | Bombora    |
      | Demandbase |

  @B-BOM-05 @B-DB-01
  Scenario Outline: The list is built from the mapped domains and primaryId is never exported
    Given a <vendor> dataflow for the audience "Retail accounts"
    When the audiences are activated
    Then the <vendor> list "Retail accounts" holds the domains "acme.example, globex.example"
    And no account <vendor> stores carries the field "primaryId"

    Examples:
      | vendor     |
      | Bombora    |
      | Demandbase |

  @B-BOM-05
  Scenario Outline: A dataflow without its mandatory mappings is refused
    Given a <vendor> dataflow for the audience "Retail accounts"
    And the dataflow settings:
      | setting  | value      |
      | mappings | <mappings> |
    When the audiences are activated
    Then the activation is refused because "needs mappings for <missing>"

    Examples:
      | vendor     | mappings                                               | missing              |
      | Bombora    | {companyWebsiteDomain: domain}                         | primaryId            |
      | Bombora    | {primaryId: accountId}                                 | companyWebsiteDomain |
      | Demandbase | {primaryId: accountId, accountEmailDomain: domain}     | accountName          |

  @B-BOM-06 @B-DB-05
  Scenario Outline: An audience name activated through one dataflow is refused through another
    Given a <vendor> dataflow for the audience "Retail accounts"
    And another <vendor> dataflow for the audience "Retail accounts"
    When the audiences are activated
    Then the second dataflow's activation is refused because "activated to <vendor> before through another dataflow"
    And the <vendor> list "Retail accounts" holds the domains "acme.example, globex.example"

    Examples:
      | vendor     |
      | Bombora    |
      | Demandbase |

  @B-BOM-03
  Scenario: Bombora refuses a dataflow whose client secret is wrong
    Given Bombora knows the API client "cdp-bombora" with the secret "s3cret"
    And a Bombora dataflow for the audience "Retail accounts"
    And the dataflow settings:
      | setting       | value        |
      | client_secret | not-the-one  |
    When the audiences are activated
    Then the activation is refused because "credentials were refused"
    And the Bombora list "Retail accounts" does not exist

  @B-DB-03
  Scenario Outline: Demandbase authenticates the dataflow with the user's API bearer token
    Given a Demandbase dataflow for the audience "Retail accounts"
    And the Demandbase user's API token is "tok-123"
    And the dataflow settings:
      | setting   | value       |
      | api_token | <token>     |
    When the audiences are activated
    Then the Demandbase list "Retail accounts" <outcome>

    Examples:
      | token   | outcome                                                |
      | tok-123 | holds the domains "acme.example, globex.example"       |
      | tok-999 | does not exist                                         |

  @B-BOM-04 @B-DB-04
  Scenario Outline: A dataflow takes a name, a description and (Demandbase) the Account entity type
    Given a <vendor> dataflow for the audience "Retail accounts"
    And the dataflow settings:
      | setting   | value     |
      | name      | ABM feed  |
      | <setting> | <value>   |
    When the audiences are activated
    Then <outcome>

    Examples:
      | vendor     | setting     | value           | outcome                                                                         |
      | Bombora    | description | Retail accounts | the Bombora list "Retail accounts" holds the domains "acme.example, globex.example" |
      | Demandbase | entity_type | Account         | the Demandbase list "Retail accounts" holds the domains "acme.example, globex.example" |
      | Demandbase | entity_type | Person          | the scenario is refused because "entity_type"                                   |

  @B-DB-06
  Scenario: Under the best-effort policy Demandbase's throttling drops accounts, and the report names them
    Given the accounts:
      | accountId | name     | domain           | industry |
      | A4        | Umbrella | umbrella.example | Retail   |
      | A5        | Hooli    | hooli.example    | Retail   |
    And Demandbase admits 2 calls a minute
    And a Demandbase dataflow for the audience "Retail accounts"
    And the dataflow delivers under the "best_effort" policy, 1 account per request
    When the audiences are activated
    Then some accounts are dropped, and the report names exactly those missing from the Demandbase list "Retail accounts"
    And every member is accounted for

  @B-DB-06
  Scenario: The lossless policy waits out Demandbase's throttling and delivers every account
    Given the accounts:
      | accountId | name     | domain           | industry |
      | A4        | Umbrella | umbrella.example | Retail   |
      | A5        | Hooli    | hooli.example    | Retail   |
    And Demandbase admits 2 calls a minute
    And a Demandbase dataflow for the audience "Retail accounts"
    And the dataflow delivers under the "lossless" policy, 1 account per request
    When the audiences are activated
    Then the report drops nothing
    And the Demandbase list "Retail accounts" holds the domains "acme.example, globex.example, hooli.example, umbrella.example"
    And every member is delivered exactly once

  @B-DB-06
  Scenario: Under the configurable policy a rate-limited batch is re-sent 30 minutes later
    Given a Demandbase dataflow for the audience "Retail accounts"
    And the dataflow delivers under the "configurable" policy, 1 account per request
    And Demandbase answers HTTP 429 to the next 1 call that adds accounts
    When the audiences are activated
    Then Demandbase receives list additions at "+30m"
    And the Demandbase list "Retail accounts" holds the domains "acme.example, globex.example"
