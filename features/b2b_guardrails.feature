@b2b
Feature: B2B activation guardrails
  How audiences built on B2B data reach destinations (behaviour.md B-B2B-*): which are
  evaluated in streaming and which in the daily batch, how long sharing takes, which
  Marketo instance topologies are supported, and what the legacy destination can match.

  Background:
    Given a Marketo instance with the partitions "none"
    And the accounts:
      | accountId | name   | domain         | industry |
      | A1        | Acme   | acme.example   | Retail   |
      | A2        | Globex | globex.example | Software |
    And the profiles:
      | personId | email             | firstName | lastName | seniority | accountId |
      | P1       | ana@acme.example  | Ana       | Silva    | Manager   | A1        |

  @B-B2B-04 @B-B2B-06
  Scenario: An audience on person attributes only is evaluated in streaming
    Given the people audience "VPs" of profiles whose seniority is "VP"
    And the profile "P1" changes its seniority to "VP" at "+1h"
    And a Marketo dataflow with sync type "audience_and_profile", person action "update_existing_and_create_new" and partition "none"
    When the audiences are activated
    Then Marketo receives list additions at "+1h5m"

  @B-B2B-04 @B-B2B-05
  Scenario: An audience on account fields is evaluated in the daily batch
    Given the people audience "Software people" of profiles whose account's industry is "Software"
    And the profile "P1" changes its accountId to "A2" at "+1h"
    And a Marketo dataflow with sync type "audience_and_profile", person action "update_existing_and_create_new" and partition "none"
    When the audiences are activated
    Then Marketo receives list additions at "+1d"

  @B-B2B-04
  Scenario: An audience on events is evaluated in streaming
    Given the people audience "Form fillers" of profiles with a "form_submit" event
    And the profile "P1" has a "form_submit" event at "+1h"
    And a Marketo dataflow with sync type "audience_and_profile", person action "update_existing_and_create_new" and partition "none"
    When the audiences are activated
    Then Marketo receives list additions at "+1h5m"

  @B-B2B-04
  Scenario: An audience on opportunities is evaluated in the daily batch
    Given the opportunities:
      | opportunityId | accountId | stage      |
      | O1            | A2        | Closed Won |
    And the people audience "Won accounts" of profiles whose account has an opportunity at stage "Closed Won"
    And the profile "P1" changes its accountId to "A2" at "+1h"
    And a Marketo dataflow with sync type "audience_and_profile", person action "update_existing_and_create_new" and partition "none"
    When the audiences are activated
    Then Marketo receives list additions at "+1d"

  @B-B2B-06
  Scenario: The streaming window is a setting of the dataflow, five minutes by default
    Given the people audience "VPs" of profiles whose seniority is "VP"
    And the profile "P1" changes its seniority to "VP" at "+1h"
    And a Marketo dataflow with sync type "audience_and_profile", person action "update_existing_and_create_new" and partition "none"
    And the dataflow delivers within "1m"
    When the audiences are activated
    Then Marketo receives list additions at "+1h1m"

  @B-B2B-02
  Scenario Outline: Only supported Marketo source topologies are connected
    Given Marketo source connections:
      | source | munchkin_id | cdp_instance | sandbox |
      | first  | 111-AAA-111 | cdp-prod     | prod    |
      | second | <munchkin>  | <instance>   | <sandbox> |
    When the audiences are activated
    Then the connection "second" is <outcome>

    Examples:
      | munchkin    | instance  | sandbox | outcome                                                 | pattern                      |
      | 222-BBB-222 | cdp-prod  | prod    | accepted                                                | several Marketo to one CDP   |
      | 111-AAA-111 | cdp-prod  | dev     | accepted                                                | one Marketo, several sandboxes |
      | 111-AAA-111 | cdp-other | prod    | refused because "one Marketo to several CDP instances"  | one Marketo to several CDPs  |
      | 222-BBB-222 | cdp-other | prod    | refused because "several Marketo instances to several CDP instances" | several to several |

  @B-B2B-03
  Scenario: One CDP feeds several Marketo instances, and several CDP instances feed one
    Given the people audience "Everyone" of profiles whose seniority is "Manager"
    And a Marketo instance "222-BBB-222"
    And a Marketo dataflow with sync type "audience_and_profile", person action "update_existing_and_create_new" and partition "none"
    And a Marketo dataflow to "222-BBB-222" with sync type "audience_and_profile", person action "update_existing_and_create_new" and partition "none"
    And a Marketo dataflow to "222-BBB-222" from the CDP instance "cdp-other" with sync type "audience_only", person action "not applicable" and partition "none"
    When the audiences are activated
    Then no activation is refused
    And the lead "ana@acme.example" is on the list "Everyone"
    And in "222-BBB-222" the lead "ana@acme.example" is on the list "Everyone"

  @B-B2B-01 @B-B2B-07
  Scenario: Marketo leads reach the CDP after the backfill, and later changes within minutes
    Given a Marketo instance "111-AAA-111" holding the leads:
      | email              | firstName | lastName | title   |
      | cy@initech.example | Cy        | Ng       | Analyst |
    And a Marketo source reading "111-AAA-111" with a backfill of "6h"
    And Marketo "111-AAA-111" changes the lead "cy@initech.example" to the title "CEO" at "+8h"
    And the replay runs until "+9h"
    When the audiences are activated
    Then the profile "cy@initech.example" reached the CDP at "+6h"
    And the profile "cy@initech.example" has the title "CEO" by "+8h5m"

  @B-B2B-07
  Scenario: The historical backfill cannot take longer than seven days
    Given a Marketo instance "111-AAA-111" holding the leads:
      | email              |
      | cy@initech.example |
    And a Marketo source reading "111-AAA-111" with a backfill of "8d"
    When the audiences are activated
    Then the scenario is refused because "up to 7 days"

  @B-B2B-08
  Scenario: The legacy destination only matches leads that already exist in Marketo
    Given Marketo holds the leads:
      | email            |
      | ana@acme.example |
    And the profiles:
      | personId | email              | firstName | lastName | seniority | accountId |
      | P2       | new@globex.example | New       | Person   | Manager   | A2        |
    And the people audience "Managers" of profiles whose seniority is "Manager"
    And a legacy Marketo dataflow mapping only the email
    When the audiences are activated
    Then the lead "ana@acme.example" is on the list "Managers"
    And the unmatched profile "new@globex.example" creates no lead
    And the report skips "P2" because "legacy destination never creates leads"
