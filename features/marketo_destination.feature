@marketo
Feature: Marketo Engage destination
  How the CDP configures and feeds a Marketo Engage connection (behaviour.md B-MKT-01..15):
  what it refuses before sending anything, how it finds the lead to write, and how it keeps
  the audience's static list in step with the audience.

  Background:
    Given a Marketo instance with the partitions "EMEA, APAC"
    And the profiles:
      | personId | email              | firstName | lastName | jobTitle | seniority |
      | P1       | ana@acme.example   | Ana       | Silva    | CMO      | VP        |
      | P2       | bo@globex.example  | Bo        | Li       | CEO      | VP        |
    And the people audience "Decision makers" of profiles whose seniority is "VP"

  @B-MKT-11
  Scenario: Matching looks for leads in every partition, whatever partition new leads go to
    Given Marketo holds the leads:
      | email            | title | partition |
      | ana@acme.example | old   | EMEA      |
    And a Marketo dataflow with sync type "profile_only", person action "update_existing_and_create_new" and partition "APAC"
    When the audiences are activated
    Then Marketo holds the leads:
      | email             | title | partition |
      | ana@acme.example  | CMO   | EMEA      |
      | bo@globex.example | CEO   | APAC      |

  @B-MKT-12
  Scenario: Only the most recently updated of several matching leads is updated
    Given Marketo holds the leads:
      | email            | title     | partition | updatedAt            |
      | ana@acme.example | older     | Default   | 2025-02-01T00:00:00Z |
      | ana@acme.example | newer     | EMEA      | 2025-09-01T00:00:00Z |
    And a Marketo dataflow with sync type "audience_and_profile", person action "update_existing_only" and partition "none"
    When the audiences are activated
    Then Marketo holds the leads:
      | email            | title | partition | lists           |
      | ana@acme.example | older | Default   | none            |
      | ana@acme.example | CMO   | EMEA      | Decision makers |

  @B-MKT-06 @B-MKT-13
  Scenario: New leads go to the Default partition when the dataflow chooses none
    Given a Marketo dataflow with sync type "profile_only", person action "update_existing_and_create_new" and partition "none"
    When the audiences are activated
    Then Marketo holds the leads:
      | email             | partition |
      | ana@acme.example  | Default   |
      | bo@globex.example | Default   |

  @B-MKT-06
  Scenario: A partition cannot be chosen for the audience_only sync type
    Given a Marketo dataflow with sync type "audience_only", person action "not applicable" and partition "EMEA"
    When the audiences are activated
    Then the activation is refused because "a partition can only be chosen"
    And no lead is written to Marketo

  @B-MKT-07
  Scenario Outline: Lead ID, ECID and fields Marketo cannot search are refused as the dedupe field
    Given a Marketo dataflow with sync type "audience_only", person action "not applicable" and partition "none"
    And the dataflow settings:
      | setting      | value           |
      | dedupe_field | <dedupe field>  |
    When the audiences are activated
    Then the activation is refused because "<reason>"
    And no lead is written to Marketo

    Examples:
      | dedupe field | reason                                 |
      | id           | Marketo Lead ID and ECID are not allowed |
      | ecid         | Marketo Lead ID and ECID are not allowed |
      | firstName    | is not a searchable (dedupe) field       |

  @B-MKT-08
  Scenario Outline: The person action applies to the profile sync types only
    Given a Marketo dataflow with sync type "<sync type>", person action "<person action>" and partition "none"
    When the audiences are activated
    Then the activation is refused because "<reason>"

    Examples:
      | sync type    | person action        | reason                                   |
      | audience_only | update_existing_only | person action does not apply to audience_only |
      | profile_only | not applicable       | choose a person action for profile_only  |

  @B-MKT-09
  Scenario: The attribute mapped to the dedupe field is the one matched against leads
    Given Marketo holds the leads:
      | email              | title |
      | ana@work.example   | old   |
    And the profiles have the attribute "workEmail":
      | personId | workEmail        |
      | P1       | ana@work.example |
    And a Marketo dataflow with sync type "profile_only", person action "update_existing_only" and partition "none"
    And the dataflow settings:
      | setting  | value                                                                           |
      | mappings | {email: workEmail, firstName: firstName, lastName: lastName, title: jobTitle} |
    When the audiences are activated
    Then Marketo holds the leads:
      | email            | title |
      | ana@work.example | CMO   |

  @B-MKT-10
  Scenario Outline: Creating leads needs firstName, lastName and email mapped
    Given a Marketo dataflow with sync type "profile_only", person action "update_existing_and_create_new" and partition "none"
    And the dataflow settings:
      | setting      | value          |
      | dedupe_field | <dedupe field> |
      | mappings     | <mappings>     |
    When the audiences are activated
    Then the activation is refused because "missing: <missing>"
    And no lead is written to Marketo

    Examples:
      | dedupe field | mappings                                         | missing  |
      | email        | {email: email, firstName: firstName}             | lastName |
      | linkedInId   | {linkedInId: linkedin, firstName: firstName, lastName: lastName} | email    |

  @B-MKT-02
  Scenario: Account audiences cannot be activated to Marketo
    Given the accounts:
      | accountId | name | domain       | industry |
      | A1        | Acme | acme.example | Retail   |
    And the account audience "Retail accounts" of accounts whose industry is "Retail"
    And a Marketo dataflow with sync type "audience_only", person action "not applicable" and partition "none"
    When the audiences are activated
    Then the activation is refused because "people audiences only"
    And no lead is written to Marketo

  @B-MKT-03
  Scenario: Audiences from custom uploads are activated like segmentation audiences
    Given Marketo holds the leads:
      | email            |
      | ana@acme.example |
    And the custom upload "Event attendees" of the people "P1"
    And a Marketo dataflow with sync type "audience_only", person action "not applicable" and partition "none"
    When the audiences are activated
    Then the lead "ana@acme.example" is on the list "Event attendees"

  @B-MKT-01
  Scenario: A profile that joins the audience later is sent as soon as its membership changes
    Given the profiles:
      | personId | email              | firstName | lastName | jobTitle | seniority |
      | P3       | cy@initech.example | Cy        | Ng       | CTO      | Manager   |
    And the profile "P3" changes its seniority to "VP" at "+2h"
    And a Marketo dataflow with sync type "audience_and_profile", person action "update_existing_and_create_new" and partition "none"
    When the audiences are activated
    Then Marketo receives list additions at "+0s, +2h5m"
    And the lead "cy@initech.example" is on the list "Decision makers"

  @B-MKT-14
  Scenario: A profile that leaves the audience is taken off its list
    Given the profile "P2" changes its seniority to "Intern" at "+1h"
    And a Marketo dataflow with sync type "audience_and_profile", person action "update_existing_and_create_new" and partition "none"
    When the audiences are activated
    Then the lead "bo@globex.example" is not on the list "Decision makers"
    And the lead "ana@acme.example" is on the list "Decision makers"

  @B-MKT-15
  Scenario: An API user without the Edit Person permission cannot write leads
    Given Marketo's API user "cdp" lacks the permission "edit_person"
    And a Marketo dataflow with sync type "profile_only", person action "update_existing_and_create_new" and partition "none"
    And the dataflow settings:
      | setting   | value |
      | client_id | cdp   |
    When the audiences are activated
    Then every profile is reported failed because "603 Access denied"
    And no lead is written to Marketo

  @B-MKT-04
  Scenario: A dataflow takes the documented settings and no others
    Given a Marketo dataflow with sync type "audience_only", person action "not applicable" and partition "none"
    And the dataflow settings:
      | setting    | value                 |
      | name       | Marketo EMEA          |
      | workspace  | Default               |
      | sync_mode  | full                  |
    When the audiences are activated
    Then the scenario is refused because "sync_mode"

  @throttling
  Scenario Outline: Marketo's throttling is waited out and nothing is lost
    Given a Marketo dataflow with sync type "audience_and_profile", person action "update_existing_and_create_new" and partition "none"
    And the dataflow delivers under the "lossless" policy
    And Marketo answers "<code>" to the next 3 calls that write leads
    When the audiences are activated
    Then every member is delivered exactly once
    And the lead "bo@globex.example" is on the list "Decision makers"

    Examples:
      | code |
      | 606  |
      | 615  |
      | 607  |
