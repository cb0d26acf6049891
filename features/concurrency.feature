Feature: Requests at the same time
  The API answers many requests at once, from one agency as from many. Each
  answer is about what its own request asked for, and what must be unique
  stays unique when two requests race for it: of two links of one external
  ID that arrive together, one wins and the other is refused as if it had
  come second.

  These scenarios send their requests in pairs, released at the same
  moment, and repeat them: a mix-up between requests shows only when they
  overlap, and one round may not overlap.

  @destructive
  Scenario: Reads of two files at the same time each describe the file asked for
    Given a ready file "A"
    And a ready file "B"
    When I get "A" and "B" by id at the same time, 25 times over
    Then every answer describes the file it asked for

  @destructive @inferred
  Scenario: Of two links of one external ID sent at the same time, exactly one succeeds
    Given a ready file "B" without an external ID
    And a ready file "C" without an external ID
    When I link "B" and "C" to one new external ID at the same time, 10 times over
    Then each time exactly one link succeeded and the other was refused with 409 "External ID already linked"
    And each time the external ID found the file whose link succeeded
