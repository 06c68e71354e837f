@b2b
Feature: Marketo's B2B data as the CDP's source
  The CDP's Marketo connector backfills leads through bulk extract, follows ongoing changes
  through the activity feed, and brings in the leads' companies as accounts and their
  opportunities, so account audiences built on Marketo data reach Bombora and Demandbase
  with the daily batch (behaviour.md B-B2B-01, B-B2B-04, B-B2B-05, B-B2B-07).

  @B-B2B-01 @B-B2B-07
  Scenario: Companies and opportunities from Marketo become accounts the CDP can target
    Given the scenario file "marketo_b2b_source.yaml"
    When the audiences are activated
    Then the backfill read Marketo through 1 bulk extract jobs
    And ongoing changes were read from Marketo's activity feed, and 1 changed leads fetched
    And the CDP holds the account "C-ACME" with the domain "acme.example"
    And the account "C-ACME" has the opportunity "Acme renewal" at stage "Negotiation"
    And the profile "ana@acme.example" has the accountId "C-ACME"

  @B-B2B-04 @B-B2B-05
  Scenario: An account audience on Marketo opportunities goes out with the daily batch
    Given the scenario file "marketo_b2b_source.yaml"
    When the audiences are activated
    Then Bombora receives list additions at "+1d, +2d"
    And Demandbase receives list additions at "+1d, +2d"
    And the Bombora list "Accounts in negotiation" holds the domains "acme.example, initech.example"
    And the Demandbase list "Accounts in negotiation" holds the domains "acme.example, initech.example"
