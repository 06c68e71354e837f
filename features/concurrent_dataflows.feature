@concurrency
Feature: Dataflows run on their own, on one virtual clock
  Each dataflow (destination x audience) and each source is its own process: a dataflow
  waiting for a retry holds back its own later batches only, never another dataflow, and
  dataflows into one Marketo instance share that instance's limits.

  @B-B2B-06
  Scenario: Marketo waits out its daily quota while the ABM dataflows deliver
    Given the scenario file "concurrent_dataflows.yaml"
    When the audiences are activated
    Then the "bombora" dataflow delivered within "5m" of its activation
    And the "demandbase" dataflow delivered within "5m" of its activation
    And the "mkto" dataflow delivered once the quota reset at midnight in Chicago
    And the vendors' journal never runs backwards

  Scenario: Two dataflows into one Marketo instance share its rate window
    Given the scenario file "shared_marketo_window.yaml"
    When the audiences are activated
    Then every 20-second window admitted 100 calls until the last
    And their API client got one 606 per window boundary, the other dataflow holding off
    And the dataflows "mkto-a, mkto-b" each updated 150 leads
    And the vendors' journal never runs backwards
