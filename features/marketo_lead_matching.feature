@marketo
Feature: Marketo lead matching table
  The CDP's Marketo Engage connection decides from its sync type and person action whether it
  updates existing leads, creates leads for unmatched profiles (and where), and puts leads on
  the audience's static list. Each row of the documented table (behaviour.md B-MKT-14) is one
  example, checked against what the Marketo mock holds after the simulator replayed it.

  Background:
    Given a Marketo instance with the partitions "EMEA"
    And Marketo holds the leads:
      | email            | firstName | lastName | title | partition |
      | ana@acme.example | Ana       | Silva    | old   | Default   |
    And the profiles:
      | personId | email              | firstName | lastName | jobTitle | seniority |
      | P1       | ana@acme.example   | Ana       | Silva    | CMO      | VP        |
      | P3       | cy@initech.example | Cy        | Ng       | CTO      | VP        |
    And the people audience "Decision makers" of profiles whose seniority is "VP"

  @B-MKT-14 @B-MKT-05 @B-MKT-08
  Scenario Outline: The sync type and the person action decide updates, creations and list membership
    Given a Marketo dataflow with sync type "<sync type>", person action "<person action>" and partition "<partition>"
    When the audiences are activated
    Then the lead "ana@acme.example" has the title "<existing lead's title>"
    And the lead "ana@acme.example" is <existing lead> the list "Decision makers"
    And the unmatched profile "cy@initech.example" <unmatched profile>

    Examples: the documented matching table, one row each
      | sync type            | person action                  | partition | existing lead's title | existing lead | unmatched profile                                                |
      | profile_only         | update_existing_and_create_new | EMEA      | CMO                   | not on        | becomes a lead in partition "EMEA" on no list                    |
      | profile_only         | update_existing_only           | EMEA      | CMO                   | not on        | creates no lead                                                  |
      | audience_only        | not applicable                 | none      | old                   | on            | creates no lead                                                  |
      | audience_and_profile | update_existing_and_create_new | EMEA      | CMO                   | on            | becomes a lead in partition "EMEA" on the list "Decision makers" |
      | audience_and_profile | update_existing_only           | EMEA      | CMO                   | on            | creates no lead                                                  |
