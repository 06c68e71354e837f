@sfmc
Feature: Salesforce Marketing Cloud (V2) source
  The CDP reads SFMC data extensions through an installed package's server-to-server
  credentials and turns their rows into profile attributes on a schedule (behaviour.md
  B-SFMC-*). Rows it ingests can make profiles enter streaming audiences.

  Background:
    Given an SFMC account "mc-acme" with the contacts data extension "contacts":
      | ContactKey | EmailAddress      | FirstName | LastName | LifecycleStage         |
      | C1         | ana@acme.example  | Ana       | Silva    | marketingqualifiedlead |
      | C2         | bo@globex.example | Bo        | Li       | lead                   |
    And an SFMC source reading "contacts" every hour
    And a Marketo instance with the partitions "none"
    And the people audience "Marketing qualified" of profiles whose lifecycleStage is "marketingqualifiedlead"
    And a Marketo dataflow with sync type "audience_and_profile", person action "update_existing_and_create_new" and partition "none"

  @B-SFMC-01 @B-SFMC-02
  Scenario: Rows of a data extension become profiles with their attributes
    When the audiences are activated
    Then the profile "ana@acme.example" has the lifecycleStage "marketingqualifiedlead"
    And the profile "bo@globex.example" has the lifecycleStage "lead"

  @B-SFMC-02 @B-SFMC-05
  Scenario: An ingested row makes its profile enter a streaming audience
    Given a marketer sets in "contacts" at "+30m":
      | ContactKey | LifecycleStage         |
      | C2         | marketingqualifiedlead |
    And the replay runs until "+2h"
    When the audiences are activated
    Then the lead "bo@globex.example" is on the list "Marketing qualified"
    # the first ingestion runs at the same instant as the activation, so the profiles it
    # brings are members when the audience is activated (sent at once); the later change
    # streams within the dataflow's 5 minutes
    And Marketo receives list additions at "+0s, +1h5m"

  @B-SFMC-02
  Scenario: Rows of an activity data extension become events that drive an audience
    Given an SFMC activity data extension "activity":
      | EventKey | EmailAddress      | EventType   | EventDate           |
      | E1       | bo@globex.example | form_submit | 2026-01-05T08:30:00 |
    And an SFMC events source reading "activity" every hour
    And the people audience "Form fillers" of profiles with a "form_submit" event
    When the audiences are activated
    Then the lead "bo@globex.example" is on the list "Form fillers"
    And the lead "ana@acme.example" is not on the list "Form fillers"

  @B-SFMC-05
  Scenario: Later runs read only the rows changed since the previous run
    Given a marketer sets in "contacts" at "+30m":
      | ContactKey | LifecycleStage |
      | C2         | customer       |
    And the replay runs until "+1h30m"
    When the audiences are activated
    Then the source ran 2 times and read 3 rows
    And the profile "bo@globex.example" has the lifecycleStage "customer"

  @B-SFMC-01
  Scenario: Large data extensions are read page by page
    Given the data extension "contacts" holds 6000 more generated contacts
    When the audiences are activated
    Then the source read 6002 rows in 3 pages
    And the CDP holds 6002 profiles

  @B-SFMC-01
  Scenario: A system data view is not a data extension the source can read
    Given the source reads "_Subscribers" instead
    When the audiences are activated
    Then the source reports the error "SFMC 404"

  @B-SFMC-03
  Scenario: Without the Data Extensions Read scope the source cannot read
    Given the installed package's scopes are "email_read"
    When the audiences are activated
    Then the source reports the error "Data Extensions: Read"
    And the CDP holds 0 profiles

  @B-SFMC-03
  Scenario: A wrong client secret is refused
    Given SFMC knows the installed package "vendorsim" with the secret "s3cret"
    And the source's client secret is "not-the-one"
    When the audiences are activated
    Then the source reports the error "refused the credentials"

  @B-SFMC-04
  Scenario: The deprecated V1 source cannot be configured
    Given the source is the "sfmc_v1" type
    When the audiences are activated
    Then the scenario is refused because "deprecated (January 2026)"
