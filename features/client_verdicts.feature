@client-verdicts
Feature: Verdicts on how a client treats the vendor
  vendorsim judges the integration under test from the journal against the vendor's
  documented contract: each verdict names the rule, the client, and the journal entries that
  show it (README "Client verdicts"). Small clients written in the steps each keep or break
  one rule.

  Background:
    Given a Marketo instance allowing 3 calls in its 20-second window

  Scenario: A client that waits out Marketo's window gets no verdict
    When a client syncs 5 leads one call at a time, waiting out each 606 before it calls again
    Then the client has no verdict

  Scenario: A client that calls straight back into a 606
    When a client syncs 5 leads one call at a time, calling straight back after each 606
    Then the client is judged "retry_too_soon" with its journal evidence
    And the verdict says "window had not cleared"

  Scenario: A client that sends a refused request again unchanged
    When a client sends a sync with an unknown lookup field twice
    Then the client is judged "repeated_refusal" with its journal evidence

  Scenario: A client that delivers the same write twice
    When a client sends the same lead twice
    Then the client is judged "duplicate_write" with its journal evidence

  Scenario: A client that asks for a token before every call
    When a client logs in before each of 4 calls
    Then the client is judged "token_churn" with its journal evidence

  Scenario: A client that calls a route Marketo does not have
    When a client calls "/rest/v1/leeds.json"
    Then the client is judged "unmatched_route" with its journal evidence
    And the verdict says "did you mean /rest/v1/leads.json?"
