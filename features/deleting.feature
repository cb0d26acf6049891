Feature: Deleting a media file
  A file is deleted by its id or by its external ID. Deleting is
  irreversible: the file leaves storage and every listing that used it.
  Afterwards the file is not found either way, and its external ID is free
  for another file.

  @destructive
  Scenario: A file is deleted by its id
    Given a ready file "A"
    When I delete "A" by id
    Then the response status is 200
    And the answer confirms the deletion

  @destructive
  Scenario: A file is deleted by its external ID, and the answer names it
    Given a ready file "A"
    When I delete "A" by external ID
    Then the response status is 200
    And the answer confirms the deletion of "A"

  @destructive @inferred
  Scenario Outline: After a delete <way> the file is gone and its external ID is free
    Given a ready file "A"
    And a ready file "B" without an external ID
    When I delete "A" <way>
    Then the request succeeded
    And "A" cannot be read by id
    And "A" cannot be read by its former external ID
    When I link "B" to the former external ID of "A"
    Then the request succeeded
    And "B" can be read by its external ID

    Examples:
      | way            |
      | by id          |
      | by external ID |

  @destructive @inferred
  Scenario: Deleting a file twice finds nothing the second time
    Given a ready file "A"
    When I delete "A" by id
    Then the request succeeded
    When I delete "A" by id
    Then the response status is 404
    And the error message is "File not found"

  @destructive
  Scenario: Deleting a file that does not exist finds nothing, by id or by external ID
    Given a file "Z" that does not exist
    When I delete "Z" by id
    Then the response status is 404
    And the error message is "File not found"
    When I delete "Z" by external ID
    Then the response status is 404
    And the error message is "File not found"
