@isolation
Feature: Tenant isolation
  A key belongs to one agency and never reaches another agency's media. To
  another agency our file does not exist: every operation on it answers
  404 "File not found", exactly as for a file that really does not exist,
  so the answer does not even reveal that the file is there. And the
  request changes nothing.

  These scenarios need a second agency's key (--other-api-key); without it
  they are skipped.

  @destructive
  Scenario Outline: Another agency cannot <operation>
    Given a ready file "A"
    And a file "Z" that does not exist
    When I <operation> with another agency's key
    Then the response status is 404
    And the error message is "File not found"
    And the answer is the same as for "Z"
    And "A" is unchanged

    Examples:
      | operation                     |
      | get "A" by id                 |
      | get "A" by external ID        |
      | delete "A" by id              |
      | delete "A" by external ID     |
      | link "A" to a new external ID |
      | unlink "A"                    |

  @destructive @inferred
  Scenario: Another agency cannot follow our upload's job
    Given a file "A"
    And a file "Z" that does not exist
    When I get the job status of "A" with another agency's key
    Then the response status is 404
    And the answer is an error in the documented format
    And the answer is the same as for "Z"
